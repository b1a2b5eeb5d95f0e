package ldm4j.diffusion.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import ldm4j.core.nn.Tensors;

/**
 * A learned class embedding with a "null" row for classifier-free guidance (Ho &amp; Salimans
 * 2022, §3.2): labels 0 … K−1 are classes, label K is "no class". ADM's {@code label_emb}
 * ({@code nn.Embedding(K + 1, embDim)}, initialised N(0, 1)), added to the time embedding.
 *
 * <p>{@code (N,) int labels → (N, embDim)}, computed as one-hot(labels) · weight so that the
 * gradient reaches exactly the rows used. Parameter: {@code weight} (K + 1, embDim).
 */
public final class ClassEmbedding extends AbstractBlock {
    private final int rows;
    private final int embDim;
    private final Parameter weight;

    /**
     * @param numClasses K, the number of real classes (the table has K + 1 rows)
     * @param embDim the embedding width
     */
    public ClassEmbedding(int numClasses, int embDim) {
        if (numClasses <= 0 || embDim <= 0) {
            throw new IllegalArgumentException("numClasses and embDim must be > 0, got " + numClasses + ", " + embDim);
        }
        this.rows = numClasses + 1;
        this.embDim = embDim;
        this.weight = addParameter(Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(rows, embDim))
                .optInitializer(new NormalInitializer(1f))
                .build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray labels = inputs.singletonOrThrow();
        for (long label : labels.toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray()) {
            if (label < 0 || label >= rows) {
                throw new IllegalArgumentException("class label " + label + " is outside [0, " + (rows - 1)
                        + "] (" + (rows - 1) + " is the null class)");
            }
        }
        // one-hot first: the product then belongs to the step's manager, not the parameter's
        NDArray oneHot = labels.oneHot(rows);
        NDArray w = ps.getValue(weight, labels.getDevice(), training);
        return new NDList(Tensors.adopt(oneHot.matMul(w), labels));
    }

    /** {@code (N,) → (N, embDim)}. */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), embDim)};
    }
}
