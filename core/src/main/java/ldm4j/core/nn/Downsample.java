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
 * Stride-2 3×3 convolution that halves the resolution: {@code (N, C, H, W) → (N, C, H/2, W/2)}
 * for even H, W.
 *
 * <p>Padding follows LDM exactly: zero-pad one column on the right and one row at the bottom,
 * {@code (left, right, top, bottom) = (0, 1, 0, 1)}, then convolve with padding 0. So output
 * pixel (i, j) sees input rows 2i..2i+2 and columns 2j..2j+2 (centre (2i+1, 2j+1)); a symmetric
 * padding of 1 would give the same shape but centre (2i, 2j), and LDM weights would not carry
 * over. Child: {@code conv}.
 */
public final class Downsample extends AbstractBlock {
    private static final Shape LDM_PADDING = new Shape(0, 1, 0, 1);

    private final int channels;
    private final Block conv;

    /** A downsample for {@code channels} channels (in and out). */
    public Downsample(int channels) {
        this.channels = channels;
        this.conv = addChildBlock("conv", Conv.of(channels, 3, 2, 0));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, padded(inputShapes[0]));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        // DJL/PyTorch pad order: last axis first, i.e. (W left, W right, H top, H bottom).
        return conv.forward(ps, new NDList(x.pad(LDM_PADDING, 0)), training, params);
    }

    /** {@code (N, C, H, W) → (N, C, H/2, W/2)} (floor for odd sizes). */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv.getOutputShapes(new Shape[] {padded(inputShapes[0])});
    }

    private Shape padded(Shape x) {
        if (x.dimension() != 4 || x.get(1) != channels) {
            throw new IllegalArgumentException("Downsample expects (N, " + channels + ", H, W), got " + x);
        }
        return new Shape(x.get(0), x.get(1), x.get(2) + 1, x.get(3) + 1);
    }
}
