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
 * Spatial self-attention with a residual connection: {@code (N, C, H, W) → (N, C, H, W)}.
 *
 * <pre>
 * h = norm(x); q, k, v = q(h), k(h), v(h)        1×1 convs, each (N, C, H, W)
 * split C into heads × d, flatten space: L = H·W  q, k, v: (N, heads, L, d)
 * a = softmax(q kᵀ / √d, over keys)               (N, heads, L, L)
 * o = a v → (N, C, H, W); out = x + proj_out(o)
 * </pre>
 *
 * <p>One head is LDM's {@code AttnBlock} (autoencoder mid block); several heads is the UNet's
 * attention. DJL's {@code matMul} broadcasts over the leading (N, heads) axes; {@code
 * batchMatMul} is 3-D only. Children: {@code norm}, {@code q}, {@code k}, {@code v}, {@code
 * proj_out}.
 */
public final class AttentionBlock extends AbstractBlock {
    private final int channels;
    private final int numHeads;

    private final GroupNorm norm;
    private final Block q;
    private final Block k;
    private final Block v;
    private final Block projOut;

    /** Single-head attention over {@code channels} channels. */
    public AttentionBlock(int channels) {
        this(channels, 1);
    }

    /**
     * Multi-head attention.
     *
     * @param channels C
     * @param numHeads the number of heads, which must divide C; the head width is d = C / heads
     */
    public AttentionBlock(int channels, int numHeads) {
        if (channels <= 0) {
            throw new IllegalArgumentException("channels must be > 0, got " + channels);
        }
        if (numHeads <= 0 || channels % numHeads != 0) {
            throw new IllegalArgumentException(
                    "numHeads must divide channels (" + channels + "), got " + numHeads);
        }
        this.channels = channels;
        this.numHeads = numHeads;
        this.norm = addChildBlock("norm", new GroupNorm(channels));
        this.q = addChildBlock("q", Conv.conv1x1(channels));
        this.k = addChildBlock("k", Conv.conv1x1(channels));
        this.v = addChildBlock("v", Conv.conv1x1(channels));
        this.projOut = addChildBlock("proj_out", Conv.conv1x1(channels));
    }

    /** The number of heads. */
    public int numHeads() {
        return numHeads;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        checkInput(x);
        for (Block child : new Block[] {norm, q, k, v, projOut}) {
            child.initialize(manager, dataType, x);
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape shape = x.getShape();
        checkInput(shape);
        long n = shape.get(0);
        long length = shape.get(2) * shape.get(3);
        long d = channels / numHeads;

        NDArray h = Blocks.forward(norm, ps, x, training, params);
        // (N, C, H, W) → (N, heads, d, L); queries and values are transposed to (N, heads, L, d).
        NDArray query = Blocks.forward(q, ps, h, training, params).reshape(n, numHeads, d, length).transpose(0, 1, 3, 2);
        NDArray key = Blocks.forward(k, ps, h, training, params).reshape(n, numHeads, d, length);
        NDArray value = Blocks.forward(v, ps, h, training, params).reshape(n, numHeads, d, length).transpose(0, 1, 3, 2);

        NDArray weights = query.matMul(key).mul((float) (1.0 / Math.sqrt(d))).softmax(3); // (N, heads, Lq, Lk)
        NDArray attended = weights.matMul(value) // (N, heads, L, d)
                .transpose(0, 1, 3, 2)
                .reshape(shape);
        NDArray out = Blocks.forward(projOut, ps, attended, training, params);
        return new NDList(x.add(out));
    }

    /** {@code (N, C, H, W) → (N, C, H, W)}. */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    private void checkInput(Shape x) {
        if (x.dimension() != 4 || x.get(1) != channels) {
            throw new IllegalArgumentException(
                    "AttentionBlock expects (N, " + channels + ", H, W), got " + x);
        }
    }
}
