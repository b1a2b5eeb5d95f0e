package ldm4j.autoencoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ldm4j.core.nn.Blocks;
import ldm4j.core.nn.Linears;

/**
 * One linear layer, then unflatten: {@code (N, d) → (N, C, h, w)}. The decoder side of a dense
 * latent, where it maps z to the map the decoder trunk starts from (or, with no trunk, to the image
 * itself). Initialised as PyTorch's {@code nn.Linear} ({@link Linears#of}).
 *
 * <p>Child: {@code linear}, so its parameters are {@code 01linear_weight} (C·h·w, d) and {@code
 * 01linear_bias}. The weight's columns span the decoder's image of the latent space; for a linear
 * decoder that is the subspace probabilistic PCA recovers.
 */
public final class LinearUnflatten extends AbstractBlock {
    private final Shape map;
    private final Block linear;

    /** A projection of a vector onto a {@code map}-shaped array (C, h, w) per row. */
    public LinearUnflatten(Shape map) {
        this.map = map;
        this.linear = addChildBlock("linear", Linears.of(Math.toIntExact(map.size())));
    }

    /** The linear layer's weight, (C·h·w, d). */
    public Parameter weight() {
        return linear.getParameters().get("weight");
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Blocks.initialize(linear, manager, dataType, check(inputShapes[0]));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray z = inputs.singletonOrThrow();
        NDArray h = Blocks.forward(linear, ps, z, training, params);
        return new NDList(h.reshape(outputShape(check(z.getShape()))));
    }

    /** {@code (N, d) → (N, C, h, w)}. */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {outputShape(check(inputShapes[0]))};
    }

    private Shape outputShape(Shape z) {
        return new Shape(z.get(0)).addAll(map);
    }

    private static Shape check(Shape z) {
        if (z.dimension() != 2) {
            throw new IllegalArgumentException("LinearUnflatten expects latents (N, d), got " + z);
        }
        return z;
    }
}
