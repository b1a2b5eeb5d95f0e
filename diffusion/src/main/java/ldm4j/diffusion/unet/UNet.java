package ldm4j.diffusion.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import ldm4j.core.nn.AttentionBlock;
import ldm4j.core.nn.Blocks;
import ldm4j.core.nn.Conv;
import ldm4j.core.nn.Downsample;
import ldm4j.core.nn.GroupNorm;
import ldm4j.core.nn.ResBlock;
import ldm4j.core.nn.Tensors;
import ldm4j.core.nn.Upsample;

/**
 * The denoising UNet of ADM (Dhariwal &amp; Nichol 2021, §3) as LDM uses it ({@code
 * openaimodel.UNetModel}): {@code (x_t (N, C, H, W), t (N,)[, labels (N,)]) → (N, C, H, W)}, the
 * ε or v prediction.
 *
 * <pre>
 * emb = time_embed(t) [+ label_emb(labels)]                        (N, 4·mc)
 * h = conv_in(x); push h                                            (N, mc, H, W)
 * per level i (width mc·mult_i, downsample factor 2^i):
 *     num_res_blocks × { h = ResBlock(h, emb) [→ attention]; push h }
 *     h = downsample(h); push h                                     all but the last level
 * h = mid_res1(h, emb) → mid_attn → mid_res2(h, emb)
 * per level i, last to first:
 *     (num_res_blocks + 1) × { h = ResBlock(concat(h, pop), emb) [→ attention] }
 *     h = upsample(h)                                               all but the first level
 * out = conv_out(SiLU(norm_out(h)))                                 conv_out starts at zero
 * </pre>
 *
 * <p>Every down-path output is concatenated on the up path (ADM's skip scheme), so the up path has
 * one ResBlock more per level than the down path. conv_out's weights and bias start at zero, so the
 * untrained model predicts exactly 0 (ADM's {@code zero_module}): the loss starts at E[target²] and
 * the first steps do not fight a random output. Each ResBlock's conv2 and each attention's proj_out
 * start at zero too, as in ADM, so every residual block starts as the identity.
 *
 * <p>Children, in forward order: {@code time_embed}, [{@code label_emb}], {@code conv_in},
 * {@code down<i>_res<j>}, [{@code down<i>_attn<j>}], {@code down<i>_downsample}, {@code mid_res1},
 * {@code mid_attn}, {@code mid_res2}, {@code up<i>_res<j>}, [{@code up<i>_attn<j>}], {@code
 * up<i>_upsample}, {@code norm_out}, {@code conv_out}.
 */
public final class UNet extends AbstractBlock {
    private final UNetConfig config;
    private final TimestepEmbedding timeEmbed;
    private final ClassEmbedding labelEmb;
    private final Block convIn;
    // Down path: levels × numResBlocks ResBlocks (and attention or null), one downsample per level but the last.
    private final List<ResBlock> downRes = new ArrayList<>();
    private final List<AttentionBlock> downAttn = new ArrayList<>();
    private final List<Downsample> downsamples = new ArrayList<>();
    private final ResBlock midRes1;
    private final AttentionBlock midAttn;
    private final ResBlock midRes2;
    // Up path: levels × (numResBlocks + 1), stored last level first, in forward order.
    private final List<ResBlock> upRes = new ArrayList<>();
    private final List<AttentionBlock> upAttn = new ArrayList<>();
    private final List<Upsample> upsamples = new ArrayList<>();
    private final GroupNorm normOut;
    private final Block convOut;

    /** A UNet shaped by {@code config}; call {@link #initialize(NDManager)} before use. */
    public UNet(UNetConfig config) {
        this.config = config;
        int mc = config.modelChannels();
        int emb = config.embedChannels();
        float dropout = (float) config.dropout();
        this.timeEmbed = addChildBlock("time_embed", new TimestepEmbedding(mc, emb));
        this.labelEmb = config.classConditional()
                ? addChildBlock("label_emb", new ClassEmbedding(config.numClasses(), emb))
                : null;
        this.convIn = addChildBlock("conv_in", Conv.conv3x3(mc));

        Deque<Integer> skipChannels = new ArrayDeque<>();
        skipChannels.push(mc);
        int ch = mc;
        int levels = config.levels();
        for (int level = 0; level < levels; level++) {
            int out = mc * config.channelMult().get(level);
            boolean attention = config.attentionResolutions().contains(1 << level);
            for (int j = 0; j < config.numResBlocks(); j++) {
                downRes.add(addChildBlock("down" + level + "_res" + j, resBlock(ch, out, emb, dropout)));
                ch = out;
                downAttn.add(attention
                        ? addChildBlock("down" + level + "_attn" + j, AttentionBlock.adm(ch, config.headsFor(ch)))
                        : null);
                skipChannels.push(ch);
            }
            if (level < levels - 1) {
                downsamples.add(addChildBlock("down" + level + "_downsample", new Downsample(ch)));
                skipChannels.push(ch);
            }
        }

        this.midRes1 = addChildBlock("mid_res1", resBlock(ch, ch, emb, dropout));
        this.midAttn = addChildBlock("mid_attn", AttentionBlock.adm(ch, config.headsFor(ch)));
        this.midRes2 = addChildBlock("mid_res2", resBlock(ch, ch, emb, dropout));

        for (int level = levels - 1; level >= 0; level--) {
            int out = mc * config.channelMult().get(level);
            boolean attention = config.attentionResolutions().contains(1 << level);
            for (int j = 0; j <= config.numResBlocks(); j++) {
                int skip = skipChannels.pop();
                upRes.add(addChildBlock("up" + level + "_res" + j, resBlock(ch + skip, out, emb, dropout)));
                ch = out;
                upAttn.add(attention
                        ? addChildBlock("up" + level + "_attn" + j, AttentionBlock.adm(ch, config.headsFor(ch)))
                        : null);
            }
            if (level > 0) {
                upsamples.add(addChildBlock("up" + level + "_upsample", new Upsample(ch)));
            }
        }
        this.normOut = addChildBlock("norm_out", new GroupNorm(ch));
        // ADM's zero_module: the output is exactly 0 until training moves these weights.
        this.convOut = addChildBlock("conv_out", Conv.zeroed(Conv.conv3x3(config.inChannels())));
    }

    private static ResBlock resBlock(int in, int out, int emb, float dropout) {
        return ResBlock.builder().setInChannels(in).setOutChannels(out).optEmbChannels(emb).optDropout(dropout)
                .optZeroOutput(true).build();
    }

    /** The configuration. */
    public UNetConfig config() {
        return config;
    }

    /**
     * Initialises every parameter on {@code manager} (the long-lived root manager). The weights do
     * not depend on the spatial size; any multiple of {@link UNetConfig#downsamplingFactor()} works later.
     */
    public void initialize(NDManager manager) {
        int f = config.downsamplingFactor();
        Shape x = new Shape(1, config.inChannels(), f, f);
        if (config.classConditional()) {
            initialize(manager, DataType.FLOAT32, x, new Shape(1), new Shape(1));
        } else {
            initialize(manager, DataType.FLOAT32, x, new Shape(1));
        }
    }

    /**
     * The prediction for x_t.
     *
     * @param ps parameter store ({@code new ParameterStore(manager, false)} is enough on one device)
     * @param xt (N, C, H, W) on the step's manager
     * @param t steps, int or long (N,)
     * @param labels int or long (N,) in [0, numClasses] (numClasses is the null class); null for an
     *     unconditional model, or for "no class" on a conditional one
     * @param training true while training (dropout on)
     * @return (N, C, H, W) on x_t's manager
     */
    public NDArray forward(ParameterStore ps, NDArray xt, NDArray t, NDArray labels, boolean training) {
        NDList inputs = new NDList(xt, t);
        if (labels != null) {
            inputs.add(labels);
        }
        return forward(ps, inputs, training).singletonOrThrow();
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        checkInput(x);
        Shape emb = Blocks.initialize(timeEmbed, manager, dataType, inputShapes[1]);
        if (labelEmb != null) {
            labelEmb.initialize(manager, dataType, inputShapes[1]);
        }
        Deque<Shape> skips = new ArrayDeque<>();
        Shape h = Blocks.initialize(convIn, manager, dataType, x);
        skips.push(h);
        int levels = config.levels();
        int nRes = config.numResBlocks();
        for (int level = 0; level < levels; level++) {
            for (int j = 0; j < nRes; j++) {
                h = initRes(downRes.get(level * nRes + j), manager, dataType, h, emb);
                h = initAttention(downAttn.get(level * nRes + j), manager, dataType, h);
                skips.push(h);
            }
            if (level < levels - 1) {
                h = Blocks.initialize(downsamples.get(level), manager, dataType, h);
                skips.push(h);
            }
        }
        h = initRes(midRes1, manager, dataType, h, emb);
        h = initAttention(midAttn, manager, dataType, h);
        h = initRes(midRes2, manager, dataType, h, emb);
        int k = 0;
        for (int level = levels - 1; level >= 0; level--) {
            for (int j = 0; j <= nRes; j++, k++) {
                Shape skip = skips.pop();
                Shape cat = new Shape(h.get(0), h.get(1) + skip.get(1), h.get(2), h.get(3));
                h = initRes(upRes.get(k), manager, dataType, cat, emb);
                h = initAttention(upAttn.get(k), manager, dataType, h);
            }
            if (level > 0) {
                h = Blocks.initialize(upsamples.get(levels - 1 - level), manager, dataType, h);
            }
        }
        h = Blocks.initialize(normOut, manager, dataType, h);
        convOut.initialize(manager, dataType, h);
    }

    private static Shape initRes(ResBlock block, NDManager manager, DataType dataType, Shape h, Shape emb) {
        block.initialize(manager, dataType, h, emb);
        return block.getOutputShapes(new Shape[] {h, emb})[0];
    }

    private static Shape initAttention(AttentionBlock block, NDManager manager, DataType dataType, Shape h) {
        return block == null ? h : Blocks.initialize(block, manager, dataType, h);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        checkInput(x.getShape());
        NDArray t = inputs.get(1);
        if (t.getShape().dimension() != 1 || t.getShape().get(0) != x.getShape().get(0)) {
            throw new IllegalArgumentException("t must have shape (" + x.getShape().get(0) + ",), got " + t.getShape());
        }
        NDArray emb = Blocks.forward(timeEmbed, ps, t, training, params);
        if (labelEmb != null) {
            NDArray labels = inputs.size() > 2 ? inputs.get(2) : nullLabels(t);
            emb = emb.add(Blocks.forward(labelEmb, ps, labels, training, params));
        } else if (inputs.size() > 2) {
            throw new IllegalArgumentException("this UNet is unconditional (num_classes 0) but got class labels");
        }

        Deque<NDArray> skips = new ArrayDeque<>();
        NDArray h = Blocks.forward(convIn, ps, x, training, params);
        skips.push(h);
        int levels = config.levels();
        int nRes = config.numResBlocks();
        for (int level = 0; level < levels; level++) {
            for (int j = 0; j < nRes; j++) {
                h = res(downRes.get(level * nRes + j), ps, h, emb, training, params);
                h = attention(downAttn.get(level * nRes + j), ps, h, training, params);
                skips.push(h);
            }
            if (level < levels - 1) {
                h = Blocks.forward(downsamples.get(level), ps, h, training, params);
                skips.push(h);
            }
        }
        h = res(midRes1, ps, h, emb, training, params);
        h = attention(midAttn, ps, h, training, params);
        h = res(midRes2, ps, h, emb, training, params);
        int k = 0;
        for (int level = levels - 1; level >= 0; level--) {
            for (int j = 0; j <= nRes; j++, k++) {
                h = NDArrays.concat(new NDList(h, skips.pop()), 1);
                h = res(upRes.get(k), ps, h, emb, training, params);
                h = attention(upAttn.get(k), ps, h, training, params);
            }
            if (level > 0) {
                h = Blocks.forward(upsamples.get(levels - 1 - level), ps, h, training, params);
            }
        }
        h = Tensors.silu(Blocks.forward(normOut, ps, h, training, params));
        return new NDList(Blocks.forward(convOut, ps, h, training, params));
    }

    private NDArray nullLabels(NDArray t) {
        long[] labels = new long[(int) t.getShape().get(0)];
        java.util.Arrays.fill(labels, config.nullClass());
        return t.getManager().create(labels);
    }

    private static NDArray res(ResBlock block, ParameterStore ps, NDArray h, NDArray emb, boolean training,
            PairList<String, Object> params) {
        return block.forward(ps, new NDList(h, emb), training, params).singletonOrThrow();
    }

    private static NDArray attention(AttentionBlock block, ParameterStore ps, NDArray h, boolean training,
            PairList<String, Object> params) {
        return block == null ? h : Blocks.forward(block, ps, h, training, params);
    }

    /** {@code (N, C, H, W), (N,)[, (N,)] → (N, C, H, W)}. */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    private void checkInput(Shape x) {
        int f = config.downsamplingFactor();
        if (x.dimension() != 4 || x.get(1) != config.inChannels() || x.get(2) % f != 0 || x.get(3) % f != 0) {
            throw new IllegalArgumentException("UNet expects x of shape (N, " + config.inChannels()
                    + ", H, W) with H and W multiples of " + f + ", got " + x);
        }
    }
}
