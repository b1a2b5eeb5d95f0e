package ldm4j.pipeline.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One stage of the {@link FeatureClassifier}: conv 3×3 (no bias: the norm's shift replaces it) →
 * BatchNorm → ReLU → max-pool 2×2.
 *
 * <p>{@code (N, C, H, W) → (N, width, ⌊H/2⌋, ⌊W/2⌋)}. Children: {@code conv}, {@code norm}.
 */
public final class ConvPoolBlock extends AbstractBlock {
    private static final Shape POOL = new Shape(2, 2);

    private final Conv2d conv;
    private final BatchNorm norm;
    private final int width;

    /** @param width output channels */
    public ConvPoolBlock(int width) {
        this.width = width;
        conv = addChildBlock("conv", Conv2d.builder()
                .setKernelShape(new Shape(3, 3))
                .optPadding(new Shape(1, 1))
                .setFilters(width)
                .optBias(false)
                .build());
        norm = addChildBlock("norm", BatchNorm.builder().build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = conv.forward(store, inputs, training).singletonOrThrow();
        x = norm.forward(store, new NDList(x), training).singletonOrThrow();
        x = Activation.relu(x);
        return new NDList(Pool.maxPool2d(x, POOL, POOL, new Shape(0, 0), false));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), width, in.get(2) / 2, in.get(3) / 2)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, inputShapes);
        Shape convOut = conv.getOutputShapes(inputShapes)[0];
        norm.initialize(manager, dataType, convOut);
    }
}
