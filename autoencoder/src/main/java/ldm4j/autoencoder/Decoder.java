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
import java.util.ArrayList;
import java.util.List;
import ldm4j.core.nn.AttentionBlock;
import ldm4j.core.nn.Blocks;
import ldm4j.core.nn.Conv;
import ldm4j.core.nn.GroupNorm;
import ldm4j.core.nn.ResBlock;
import ldm4j.core.nn.Tensors;
import ldm4j.core.nn.Upsample;

/**
 * The autoencoder's decoder, the encoder's mirror: {@code (N, zChannels, h, w) → (N, C, h·f,
 * w·f)}.
 *
 * <pre>
 * conv_in (zChannels → ch·chMult[last])
 * mid: ResBlock → AttentionBlock (single head, when enabled) → ResBlock
 * per level i from last to 0: numResBlocks + 1 ResBlocks to ch·chMult[i]; nearest 2× Upsample + conv unless i is 0
 * norm_out → SiLU → conv_out (→ C)
 * </pre>
 *
 * <p>Children, in forward order: {@code conv_in}, {@code mid_block_1}, [{@code mid_attn_1}],
 * {@code mid_block_2}, {@code up{i}_block{j}}, {@code up{i}_upsample}, {@code norm_out}, {@code
 * conv_out}. Level numbers are LDM's ({@code up.2.block.0} is {@code up2_block0}), so they count
 * down in forward order.
 */
public final class Decoder extends AbstractBlock {
    private final AutoencoderConfig config;
    private final Block convIn;
    private final ResBlock midBlock1;
    private final AttentionBlock midAttn1;
    private final ResBlock midBlock2;
    private final List<Block> up;
    private final GroupNorm normOut;
    private final Block convOut;

    /** A decoder shaped by {@code config}. */
    public Decoder(AutoencoderConfig config) {
        this.config = config;
        int channels = config.channelsAt(config.levels() - 1);
        this.convIn = addChildBlock("conv_in", Conv.conv3x3(channels));
        this.midBlock1 = addChildBlock("mid_block_1", Encoder.resBlock(channels, channels, config));
        this.midAttn1 = config.attention() ? addChildBlock("mid_attn_1", AttentionBlock.ldm(channels)) : null;
        this.midBlock2 = addChildBlock("mid_block_2", Encoder.resBlock(channels, channels, config));
        List<Block> levels = new ArrayList<>();
        for (int level = config.levels() - 1; level >= 0; level--) {
            int out = config.channelsAt(level);
            for (int j = 0; j <= config.numResBlocks(); j++) {
                levels.add(addChildBlock("up" + level + "_block" + j, Encoder.resBlock(channels, out, config)));
                channels = out;
            }
            if (level != 0) {
                levels.add(addChildBlock("up" + level + "_upsample", new Upsample(channels)));
            }
        }
        this.up = List.copyOf(levels);
        this.normOut = addChildBlock("norm_out", new GroupNorm(channels));
        this.convOut = addChildBlock("conv_out", Conv.conv3x3(config.inChannels()));
    }

    /**
     * The weight of {@code conv_out}, the decoder's last layer, (C, ch·chMult[0], 3, 3). The GAN
     * loss's adaptive weight compares gradient norms there (LDM's {@code get_last_layer}).
     */
    public Parameter lastLayer() {
        return convOut.getParameters().get("weight");
    }

    /** The configuration this decoder was built from. */
    public AutoencoderConfig config() {
        return config;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = checkInput(inputShapes[0]);
        s = Blocks.initialize(convIn, manager, dataType, s);
        s = Blocks.initialize(midBlock1, manager, dataType, s);
        if (midAttn1 != null) {
            s = Blocks.initialize(midAttn1, manager, dataType, s);
        }
        s = Blocks.initialize(midBlock2, manager, dataType, s);
        for (Block block : up) {
            s = Blocks.initialize(block, manager, dataType, s);
        }
        s = Blocks.initialize(normOut, manager, dataType, s);
        Blocks.initialize(convOut, manager, dataType, s);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray z = inputs.singletonOrThrow();
        checkInput(z.getShape());
        NDArray h = Blocks.forward(convIn, ps, z, training, params);
        h = Blocks.forward(midBlock1, ps, h, training, params);
        if (midAttn1 != null) {
            h = Blocks.forward(midAttn1, ps, h, training, params);
        }
        h = Blocks.forward(midBlock2, ps, h, training, params);
        for (Block block : up) {
            h = Blocks.forward(block, ps, h, training, params);
        }
        h = Tensors.silu(Blocks.forward(normOut, ps, h, training, params));
        return new NDList(Blocks.forward(convOut, ps, h, training, params));
    }

    /** {@code (N, zChannels, h, w) → (N, C, h·f, w·f)}. */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape z = checkInput(inputShapes[0]);
        int f = config.downsamplingFactor();
        return new Shape[] {new Shape(z.get(0), config.inChannels(), z.get(2) * f, z.get(3) * f)};
    }

    private Shape checkInput(Shape z) {
        if (z.dimension() != 4 || z.get(1) != config.zChannels()) {
            throw new IllegalArgumentException(
                    "Decoder expects latents (N, " + config.zChannels() + ", h, w), got " + z);
        }
        return z;
    }
}
