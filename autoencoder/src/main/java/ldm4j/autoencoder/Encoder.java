package ldm4j.autoencoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import ldm4j.core.nn.AttentionBlock;
import ldm4j.core.nn.Blocks;
import ldm4j.core.nn.Conv;
import ldm4j.core.nn.Downsample;
import ldm4j.core.nn.GroupNorm;
import ldm4j.core.nn.ResBlock;
import ldm4j.core.nn.Tensors;

/**
 * The autoencoder's encoder: {@code (N, C, H, W) → (N, 2·zChannels, H/f, W/f)} moments (mean and
 * log-variance stacked on the channel axis).
 *
 * <pre>
 * conv_in (C → ch)
 * per level i: numResBlocks ResBlocks to ch·chMult[i]; a stride-2 Downsample unless i is last
 * mid: ResBlock → AttentionBlock (single head, when enabled) → ResBlock
 * norm_out → SiLU → conv_out (→ 2·zChannels)
 * </pre>
 *
 * <p>Children, in forward order: {@code conv_in}, {@code down{i}_block{j}}, {@code
 * down{i}_downsample}, {@code mid_block_1}, [{@code mid_attn_1}], {@code mid_block_2}, {@code
 * norm_out}, {@code conv_out}; LDM's {@code down.0.block.1} is {@code down0_block1} here.
 */
public final class Encoder extends AbstractBlock {
    private final AutoencoderConfig config;
    private final Block convIn;
    private final List<Block> down;
    private final ResBlock midBlock1;
    private final AttentionBlock midAttn1;
    private final ResBlock midBlock2;
    private final GroupNorm normOut;
    private final Block convOut;

    /** An encoder shaped by {@code config}. */
    public Encoder(AutoencoderConfig config) {
        this.config = config;
        this.convIn = addChildBlock("conv_in", Conv.conv3x3(config.ch()));
        List<Block> levels = new ArrayList<>();
        int channels = config.ch();
        for (int level = 0; level < config.levels(); level++) {
            int out = config.channelsAt(level);
            for (int j = 0; j < config.numResBlocks(); j++) {
                levels.add(addChildBlock("down" + level + "_block" + j, resBlock(channels, out, config)));
                channels = out;
            }
            if (level != config.levels() - 1) {
                levels.add(addChildBlock("down" + level + "_downsample", new Downsample(channels)));
            }
        }
        this.down = List.copyOf(levels);
        this.midBlock1 = addChildBlock("mid_block_1", resBlock(channels, channels, config));
        this.midAttn1 = config.attention() ? addChildBlock("mid_attn_1", AttentionBlock.ldm(channels)) : null;
        this.midBlock2 = addChildBlock("mid_block_2", resBlock(channels, channels, config));
        this.normOut = addChildBlock("norm_out", new GroupNorm(channels));
        this.convOut = addChildBlock("conv_out", Conv.conv3x3(2 * config.zChannels()));
    }

    static ResBlock resBlock(int in, int out, AutoencoderConfig config) {
        return ResBlock.builder().setInChannels(in).setOutChannels(out).optDropout(config.dropout()).build();
    }

    /** The configuration this encoder was built from. */
    public AutoencoderConfig config() {
        return config;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = checkInput(inputShapes[0]);
        s = Blocks.initialize(convIn, manager, dataType, s);
        for (Block block : down) {
            s = Blocks.initialize(block, manager, dataType, s);
        }
        s = Blocks.initialize(midBlock1, manager, dataType, s);
        if (midAttn1 != null) {
            s = Blocks.initialize(midAttn1, manager, dataType, s);
        }
        s = Blocks.initialize(midBlock2, manager, dataType, s);
        s = Blocks.initialize(normOut, manager, dataType, s);
        Blocks.initialize(convOut, manager, dataType, s);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        checkInput(x.getShape());
        NDArray h = Blocks.forward(convIn, ps, x, training, params);
        for (Block block : down) {
            h = Blocks.forward(block, ps, h, training, params);
        }
        h = Blocks.forward(midBlock1, ps, h, training, params);
        if (midAttn1 != null) {
            h = Blocks.forward(midAttn1, ps, h, training, params);
        }
        h = Blocks.forward(midBlock2, ps, h, training, params);
        h = Tensors.silu(Blocks.forward(normOut, ps, h, training, params));
        return new NDList(Blocks.forward(convOut, ps, h, training, params));
    }

    /** {@code (N, C, H, W) → (N, 2·zChannels, H/f, W/f)}. */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = checkInput(inputShapes[0]);
        Shape latent = config.trunkShape((int) x.get(2), (int) x.get(3));
        return new Shape[] {new Shape(x.get(0), 2L * config.zChannels(), latent.get(1), latent.get(2))};
    }

    private Shape checkInput(Shape x) {
        if (x.dimension() != 4 || x.get(1) != config.inChannels()) {
            throw new IllegalArgumentException(
                    "Encoder expects images (N, " + config.inChannels() + ", H, W), got " + x);
        }
        config.trunkShape((int) x.get(2), (int) x.get(3));
        return x;
    }
}
