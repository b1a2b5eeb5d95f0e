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
import java.util.List;

/**
 * Spatial self-attention with a residual connection: {@code (N, C, H, W) → (N, C, H, W)}.
 *
 * <pre>
 * h = norm(x); q, k, v = projections of h        1×1 convs, each (N, C, H, W)
 * split C into heads × d, flatten space: L = H·W  q, k, v: (N, heads, L, d)
 * a = softmax(q kᵀ / √d, over keys)               (N, heads, L, L)
 * o = a v → (N, C, H, W); out = x + proj_out(o)
 * </pre>
 *
 * <p>Two layouts of the same maths, named after the code whose parameter names they keep:
 *
 * <ul>
 *   <li>{@link #ldm(int)}: LDM's {@code AttnBlock} (the autoencoder's mid block), one head and
 *       three convs {@code q}, {@code k}, {@code v};
 *   <li>{@link #adm(int, int)}: ADM's {@code AttentionBlock} (the UNet), several heads and one conv
 *       {@code qkv} with 3C filters (q, k, v channels in turn). One kernel call instead of three
 *       matters at the 4×4 and 8×8 resolutions where the UNet attends (measured: the separate 1×1
 *       convs took 5% of a UNet training step). Each filter sees all C inputs either way, so the
 *       default init is the same.
 * </ul>
 *
 * DJL's {@code matMul} broadcasts over the leading (N, heads) axes; {@code batchMatMul} is 3-D
 * only. Children: {@code norm}, then {@code q}, {@code k}, {@code v} or {@code qkv}, then {@code
 * proj_out}.
 */
public final class AttentionBlock extends AbstractBlock {
    private final int channels;
    private final int numHeads;

    private final GroupNorm norm;
    private final List<Block> projections; // [q, k, v] or [qkv]
    private final Block projOut;

    private AttentionBlock(int channels, int numHeads, boolean fused) {
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
        this.projections = fused
                ? List.of(addChildBlock("qkv", Conv.conv1x1(3 * channels)))
                : List.of(addChildBlock("q", Conv.conv1x1(channels)), addChildBlock("k", Conv.conv1x1(channels)),
                        addChildBlock("v", Conv.conv1x1(channels)));
        // ADM starts proj_out at zero (zero_module): the block is the identity until it learns; LDM does not.
        this.projOut = addChildBlock("proj_out", fused ? Conv.zeroed(Conv.conv1x1(channels)) : Conv.conv1x1(channels));
    }

    /** LDM's single-head {@code AttnBlock} over {@code channels} channels, with separate q, k, v convs. */
    public static AttentionBlock ldm(int channels) {
        return new AttentionBlock(channels, 1, false);
    }

    /**
     * ADM's multi-head attention, with one fused {@code qkv} conv.
     *
     * @param channels C
     * @param numHeads the number of heads, which must divide C; the head width is d = C / heads
     */
    public static AttentionBlock adm(int channels, int numHeads) {
        return new AttentionBlock(channels, numHeads, true);
    }

    /** The number of heads. */
    public int numHeads() {
        return numHeads;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        checkInput(x);
        norm.initialize(manager, dataType, x);
        for (Block p : projections) {
            p.initialize(manager, dataType, x);
        }
        projOut.initialize(manager, dataType, x);
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
        // q, k, v as (N, heads, d, L); queries and values are then transposed to (N, heads, L, d).
        NDArray query;
        NDArray key;
        NDArray value;
        if (projections.size() == 1) {
            NDArray qkv = Blocks.forward(projections.get(0), ps, h, training, params)
                    .reshape(n, 3, numHeads, d, length);
            query = qkv.get(":, 0");
            key = qkv.get(":, 1");
            value = qkv.get(":, 2");
        } else {
            query = Blocks.forward(projections.get(0), ps, h, training, params).reshape(n, numHeads, d, length);
            key = Blocks.forward(projections.get(1), ps, h, training, params).reshape(n, numHeads, d, length);
            value = Blocks.forward(projections.get(2), ps, h, training, params).reshape(n, numHeads, d, length);
        }
        NDArray weights = Scalars.mul(query.transpose(0, 1, 3, 2).matMul(key), 1.0 / Math.sqrt(d)).softmax(3);
        NDArray attended = weights.matMul(value.transpose(0, 1, 3, 2)) // (N, heads, L, d)
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
