package ldm4j.pipeline.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import ldm4j.core.nn.Tensors;

/**
 * The small CNN classifier whose penultimate layer is ldm4j's feature space (see {@link
 * FeatureNetwork}).
 *
 * <pre>
 * (N, C, H, W)                 images in [-1, 1]; any H, W ≥ 2^stages (16, 32, 64, ...)
 *   stage1 .. stageK           {@link ConvPoolBlock}: (N, width_k, H/2^k, W/2^k)
 *   global average pool        (N, width_K)      so one network fits 32×32 and 64×64 alike
 *   features: Linear → SiLU    (N, featureDim)   the embedding used for FD and precision/recall
 *   dropout (training only)
 *   head: Linear               (N, numClasses)   logits
 * </pre>
 *
 * <p>{@link #forward} returns {@code NDList(logits, features)}. The feature layer uses SiLU rather
 * than ReLU so that no feature is exactly zero for every image: a constant feature would make the
 * covariance of the Fréchet distance singular.
 */
public final class FeatureClassifier extends AbstractBlock {
    private final ClassifierConfig config;
    private final List<ConvPoolBlock> stages = new ArrayList<>();
    private final Linear features;
    private final Dropout dropout;
    private final Linear head;

    public FeatureClassifier(ClassifierConfig config) {
        this.config = config;
        for (int k = 0; k < config.widths().size(); k++) {
            stages.add(addChildBlock("stage" + (k + 1), new ConvPoolBlock(config.widths().get(k))));
        }
        features = addChildBlock("features", Linear.builder().setUnits(config.featureDim()).build());
        dropout = addChildBlock("dropout", Dropout.builder().optRate((float) config.dropout()).build());
        head = addChildBlock("head", Linear.builder().setUnits(config.numClasses()).build());
    }

    /** The configuration this network was built from. */
    public ClassifierConfig config() {
        return config;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList x = inputs;
        for (ConvPoolBlock stage : stages) {
            x = stage.forward(store, x, training);
        }
        NDArray last = x.singletonOrThrow();
        Shape s = last.getShape();
        // global average pool as one mean over H·W: mean() over two axes is refused on PyTorch
        NDArray pooled = last.reshape(s.get(0), s.get(1), -1).mean(new int[] {2});
        NDArray feats = Tensors.silu(features.forward(store, new NDList(pooled), training).singletonOrThrow());
        NDArray dropped = training && config.dropout() > 0
                ? dropout.forward(store, new NDList(feats), true).singletonOrThrow()
                : feats;
        NDArray logits = head.forward(store, new NDList(dropped), training).singletonOrThrow();
        return new NDList(logits, feats);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long n = inputShapes[0].get(0);
        return new Shape[] {new Shape(n, config.numClasses()), new Shape(n, config.featureDim())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] shape = inputShapes;
        for (ConvPoolBlock stage : stages) {
            stage.initialize(manager, dataType, shape);
            shape = stage.getOutputShapes(shape);
        }
        long n = shape[0].get(0);
        Shape pooled = new Shape(n, shape[0].get(1));
        features.initialize(manager, dataType, pooled);
        Shape feats = new Shape(n, config.featureDim());
        dropout.initialize(manager, dataType, feats);
        head.initialize(manager, dataType, feats);
    }
}
