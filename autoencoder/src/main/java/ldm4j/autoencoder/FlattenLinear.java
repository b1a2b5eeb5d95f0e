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
 * Flatten, then one linear layer: {@code (N, …) → (N, units)}. The encoder side of a dense latent,
 * where it maps the trunk's map (or, with no trunk, the image) to the posterior's moments (2·d: mean,
 * then log-variance). Initialised as PyTorch's {@code nn.Linear} ({@link Linears#of}).
 *
 * <p>Child: {@code linear}, so its parameters are {@code 01linear_weight} (units, in) and {@code
 * 01linear_bias}.
 */
public final class FlattenLinear extends AbstractBlock {
    private final int units;
    private final Block linear;

    /** A flatten-and-project block with {@code units} outputs. */
    public FlattenLinear(int units) {
        this.units = units;
        this.linear = addChildBlock("linear", Linears.of(units));
    }

    /** The linear layer's weight, (units, in). */
    public Parameter weight() {
        return linear.getParameters().get("weight");
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Blocks.initialize(linear, manager, dataType, flat(inputShapes[0]));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        return new NDList(Blocks.forward(linear, ps, x.reshape(flat(x.getShape())), training, params));
    }

    /** {@code (N, …) → (N, units)}. */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), units)};
    }

    private static Shape flat(Shape s) {
        if (s.dimension() < 2) {
            throw new IllegalArgumentException("FlattenLinear expects (N, …), got " + s);
        }
        return new Shape(s.get(0), s.size() / s.get(0));
    }
}
