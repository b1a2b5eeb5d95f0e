package ldm4j.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ldm4j.core.InputException;

/**
 * Moves a block's parameters to and from a name → tensor map, the shape a safetensors file has.
 *
 * <p>Names are the keys of {@link Block#getParameters()}, e.g. {@code 02res1_01conv1_weight}: they
 * are built from child names and registration order, so they are stable across runs. Never
 * {@link Parameter#getId()}, which is a random uid.
 */
public final class BlockParameters {
    private BlockParameters() {}

    /**
     * The block's parameter arrays by stable name, in registration order. The arrays are the live
     * parameters, not copies: write them out before the next training step changes them.
     *
     * @throws IllegalStateException if the block is not initialised
     */
    public static Map<String, NDArray> collect(Block block) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (!p.getValue().isInitialized()) {
                throw new IllegalStateException("parameter " + p.getKey() + " is not initialised; initialise the block first");
            }
            out.put(p.getKey(), p.getValue().getArray());
        }
        return out;
    }

    /**
     * Copies {@code tensors} into the block's parameters, in place. Everything is checked before
     * anything is copied: every parameter must have a tensor of the same shape and dtype, and every
     * tensor must be a parameter. The first fault (with a count of the others) is reported as one
     * {@link InputException} naming {@code source}, e.g. "ckpt/model.safetensors: tensor
     * conv_in_weight has shape (32, 3, 3, 3), model expects (32, 1, 3, 3)".
     *
     * @throws IllegalStateException if the block is not initialised
     */
    public static void load(Block block, Map<String, NDArray> tensors, Path source) {
        Map<String, NDArray> params = collect(block);
        List<String> faults = new ArrayList<>();
        for (Map.Entry<String, NDArray> p : params.entrySet()) {
            NDArray t = tensors.get(p.getKey());
            Shape want = p.getValue().getShape();
            if (t == null) {
                faults.add("missing tensor " + p.getKey() + " " + want + " that the model expects");
            } else if (!t.getShape().equals(want)) {
                faults.add("tensor " + p.getKey() + " has shape " + t.getShape() + ", model expects " + want);
            } else if (t.getDataType() != p.getValue().getDataType()) {
                faults.add("tensor " + p.getKey() + " has dtype " + t.getDataType() + ", model expects "
                        + p.getValue().getDataType());
            }
        }
        for (String name : tensors.keySet()) {
            if (!params.containsKey(name)) {
                faults.add("tensor " + name + " is not a parameter of the model");
            }
        }
        if (!faults.isEmpty()) {
            int others = faults.size() - 1;
            String more = others == 0 ? "" : " (and " + others + " more fault" + (others == 1 ? ")" : "s)");
            throw InputException.inFile(source, faults.get(0) + more);
        }
        for (Map.Entry<String, NDArray> p : params.entrySet()) {
            tensors.get(p.getKey()).copyTo(p.getValue());
        }
    }
}
