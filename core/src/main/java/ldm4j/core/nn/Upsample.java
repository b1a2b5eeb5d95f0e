package ldm4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Nearest-neighbour 2× upsampling followed by a 3×3 conv: {@code (N, C, H, W) → (N, C, 2H, 2W)}.
 *
 * <p>DJL's {@code Conv2dTranspose} does not run on PyTorch, and LDM uses this form anyway. The
 * nearest upsample is {@code x.repeat(2, 2).repeat(3, 2)} (each row, then each column, twice).
 * Child: {@code conv}.
 */
public final class Upsample extends AbstractBlock {
    private final int channels;
    private final Block conv;

    /** An upsample for {@code channels} channels (in and out). */
    public Upsample(int channels) {
        this.channels = channels;
        this.conv = addChildBlock("conv", Conv.conv3x3(channels));
    }

    /** Nearest-neighbour 2× upsampling of an (N, C, H, W) array to (N, C, 2H, 2W). */
    public static NDArray nearest2x(NDArray x) {
        return x.repeat(2, 2).repeat(3, 2);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, getOutputShapes(inputShapes));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return conv.forward(ps, new NDList(nearest2x(inputs.singletonOrThrow())), training, params);
    }

    /** {@code (N, C, H, W) → (N, C, 2H, 2W)}. */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        if (x.dimension() != 4 || x.get(1) != channels) {
            throw new IllegalArgumentException("Upsample expects (N, " + channels + ", H, W), got " + x);
        }
        return new Shape[] {new Shape(x.get(0), channels, 2 * x.get(2), 2 * x.get(3))};
    }
}
