package ldm4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** Helpers for chaining single-input blocks inside a composite block. */
public final class Blocks {
    private Blocks() {}

    /**
     * Initialises {@code block} for one input of shape {@code input}.
     *
     * @return the block's output shape, ready to initialise the next block in a chain
     */
    public static Shape initialize(Block block, NDManager manager, DataType dataType, Shape input) {
        block.initialize(manager, dataType, input);
        return block.getOutputShapes(new Shape[] {input})[0];
    }

    /** Runs a single-input, single-output block. */
    public static NDArray forward(
            Block block,
            ParameterStore ps,
            NDArray x,
            boolean training,
            PairList<String, Object> params) {
        return block.forward(ps, new NDList(x), training, params).singletonOrThrow();
    }
}
