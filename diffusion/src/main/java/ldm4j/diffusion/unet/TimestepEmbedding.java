package ldm4j.diffusion.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ldm4j.core.nn.Blocks;
import ldm4j.core.nn.Linears;
import ldm4j.core.nn.Tensors;

/**
 * The UNet's timestep embedding, as ADM's {@code timestep_embedding} followed by {@code time_embed}:
 *
 * <pre>
 * freq_k = exp(−ln(10000) · k / half),  k = 0 … half−1,  half = dim/2
 * s(t)   = [cos(t·freq_0) … cos(t·freq_{half−1}), sin(t·freq_0) … sin(t·freq_{half−1})]   (N, dim)
 * emb    = linear_2(SiLU(linear_1(s(t))))                                                   (N, embDim)
 * </pre>
 *
 * <p>The sinusoid is the Transformer's position encoding (Vaswani et al. 2017, §3.5) applied to the
 * step index, with ADM's order (all cosines, then all sines). It is computed in double precision in
 * Java from the integer steps, so it carries no gradient (t is not learned). Input: t, int or long
 * (N,). Children: {@code linear_1}, {@code linear_2}.
 */
public final class TimestepEmbedding extends AbstractBlock {
    /** ADM's max_period. */
    public static final double MAX_PERIOD = 10_000.0;

    private final int dim;
    private final int embDim;
    private final Linear linear1;
    private final Linear linear2;

    /**
     * @param dim width of the sinusoid (the UNet's modelChannels), even
     * @param embDim width of the output (4·modelChannels in ADM)
     */
    public TimestepEmbedding(int dim, int embDim) {
        if (dim <= 0 || dim % 2 != 0) {
            throw new IllegalArgumentException("dim must be even and > 0, got " + dim);
        }
        if (embDim <= 0) {
            throw new IllegalArgumentException("embDim must be > 0, got " + embDim);
        }
        this.dim = dim;
        this.embDim = embDim;
        this.linear1 = addChildBlock("linear_1", Linears.of(embDim));
        this.linear2 = addChildBlock("linear_2", Linears.of(embDim));
    }

    /**
     * The sinusoid s(t) of the class doc, (N, dim) float32 on t's manager.
     *
     * @param t step indices, int or long, shape (N,)
     * @param dim even width
     */
    public static NDArray sinusoid(NDArray t, int dim) {
        if (t.getShape().dimension() != 1) {
            throw new IllegalArgumentException("t must have shape (N,), got " + t.getShape());
        }
        long[] steps = t.toType(DataType.INT64, false).toLongArray();
        int half = dim / 2;
        float[] out = new float[steps.length * dim];
        for (int i = 0; i < steps.length; i++) {
            for (int k = 0; k < half; k++) {
                double arg = steps[i] * Math.exp(-Math.log(MAX_PERIOD) * k / half);
                out[i * dim + k] = (float) Math.cos(arg);
                out[i * dim + half + k] = (float) Math.sin(arg);
            }
        }
        return t.getManager().create(out, new Shape(steps.length, dim));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long n = inputShapes[0].get(0);
        Shape h = Blocks.initialize(linear1, manager, dataType, new Shape(n, dim));
        linear2.initialize(manager, dataType, h);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray s = sinusoid(inputs.get(0), dim);
        NDArray h = Blocks.forward(linear1, ps, s, training, params);
        return new NDList(Blocks.forward(linear2, ps, Tensors.silu(h), training, params));
    }

    /** {@code (N,) → (N, embDim)}. */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), embDim)};
    }
}
