package ldm4j.autoencoder.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import ldm4j.core.nn.Blocks;
import ldm4j.core.nn.Conv;
import ldm4j.core.nn.GroupNorm;

/**
 * PatchGAN discriminator (Isola et al. 2017, "Image-to-Image Translation with Conditional
 * Adversarial Networks", §3.2.2), as LDM's {@code NLayerDiscriminator}: one logit per overlapping
 * patch, {@code (N, C, H, W) → (N, 1, H', W')}.
 *
 * <pre>
 * conv0 4×4 s2 (C → ndf) → LeakyReLU 0.2
 * layer i = 1..n−1: conv{i} 4×4 s2 (→ ndf·min(2^i, 8)) → norm{i} → LeakyReLU 0.2
 * conv{n} 4×4 s1 (→ ndf·min(2^n, 8)) → norm{n} → LeakyReLU 0.2
 * conv_out 4×4 s1 (→ 1)
 * </pre>
 *
 * <p>All convolutions pad by 1. LDM normalises with BatchNorm; this uses {@link GroupNorm}, which
 * has no running statistics to checkpoint and behaves the same in training and evaluation.
 */
public final class PatchDiscriminator extends AbstractBlock {
    private static final float SLOPE = 0.2f;

    private final int inChannels;
    private final List<Block> convs = new ArrayList<>();
    private final List<Block> norms = new ArrayList<>(); // null for the first layer, which has none
    private final Block convOut;

    /**
     * A discriminator for {@code inChannels}-channel images.
     *
     * @param config {@code channels} (ndf) and {@code layers} (n) are used
     */
    public PatchDiscriminator(int inChannels, DiscriminatorConfig config) {
        if (inChannels <= 0) {
            throw new IllegalArgumentException("inChannels must be > 0, got " + inChannels);
        }
        this.inChannels = inChannels;
        int ndf = config.channels();
        int n = config.layers();
        convs.add(addChildBlock("conv0", Conv.of(ndf, 4, 2, 1)));
        norms.add(null);
        for (int i = 1; i <= n; i++) {
            int filters = ndf * Math.min(1 << i, 8);
            convs.add(addChildBlock("conv" + i, Conv.of(filters, 4, i < n ? 2 : 1, 1)));
            norms.add(addChildBlock("norm" + i, new GroupNorm(filters)));
        }
        this.convOut = addChildBlock("conv_out", Conv.of(1, 4, 1, 1));
    }

    /** Initialises the parameters on {@code manager} (the root manager) for images of side {@code size}. */
    public void initialize(NDManager manager, int size) {
        initialize(manager, DataType.FLOAT32, new Shape(1, inChannels, size, size));
    }

    /** Patch logits of images in [-1, 1]: {@code (N, C, H, W) → (N, 1, H', W')}. */
    public NDArray logits(ParameterStore ps, NDArray x, boolean training) {
        return Blocks.forward(this, ps, x, training, null);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        for (int i = 0; i < convs.size(); i++) {
            s = Blocks.initialize(convs.get(i), manager, dataType, s);
            if (norms.get(i) != null) {
                s = Blocks.initialize(norms.get(i), manager, dataType, s);
            }
        }
        Shape out = Blocks.initialize(convOut, manager, dataType, s);
        if (out.get(2) <= 0 || out.get(3) <= 0) {
            throw new IllegalArgumentException("images of " + inputShapes[0].get(2) + "×" + inputShapes[0].get(3)
                    + " are too small for a " + (convs.size() - 1) + "-layer discriminator");
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray h = inputs.singletonOrThrow();
        for (int i = 0; i < convs.size(); i++) {
            h = Blocks.forward(convs.get(i), ps, h, training, params);
            if (norms.get(i) != null) {
                h = Blocks.forward(norms.get(i), ps, h, training, params);
            }
            h = Activation.leakyRelu(h, SLOPE);
        }
        return new NDList(Blocks.forward(convOut, ps, h, training, params));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        for (Block conv : convs) {
            s = conv.getOutputShapes(new Shape[] {s})[0];
        }
        return convOut.getOutputShapes(new Shape[] {s});
    }
}
