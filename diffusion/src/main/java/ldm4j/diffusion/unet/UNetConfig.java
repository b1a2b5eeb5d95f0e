package ldm4j.diffusion.unet;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * The shape of a {@link UNet} (ADM, Dhariwal &amp; Nichol 2021, as used by LDM's
 * {@code openaimodel.UNetModel}). In YAML the keys are snake_case, as in LDM's configs.
 *
 * @param inChannels channels of x_t, and of the output (4 for 4×8×8 latents, 1 for grey pixels)
 * @param modelChannels width of the first level; even, because the timestep sinusoid has
 *     modelChannels/2 cosines and as many sines
 * @param channelMult width multiplier per level; level i has modelChannels·channelMult[i]
 *     channels, and every level but the last ends with a 2× downsample
 * @param numResBlocks ResBlocks per level on the down path (the up path has one more, as in ADM)
 * @param attentionResolutions downsample factors at which self-attention follows each ResBlock,
 *     e.g. [2] = at the level downsampled 2× (4×4 for 8×8 inputs); each must be one of the
 *     UNet's factors 1, 2, …, 2^(levels−1). The middle block always has attention (ADM).
 * @param numHeads attention heads when {@code headChannels} is 0
 * @param headChannels channels per head; when &gt; 0 it wins over numHeads (heads = C / headChannels)
 * @param dropout dropout rate inside every ResBlock, in [0, 1)
 * @param numClasses classes of the label embedding, 0 for an unconditional model; a conditional
 *     model has numClasses + 1 embedding rows, the last being the "null" class
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record UNetConfig(
        int inChannels,
        int modelChannels,
        List<Integer> channelMult,
        int numResBlocks,
        List<Integer> attentionResolutions,
        int numHeads,
        int headChannels,
        double dropout,
        int numClasses) {

    public UNetConfig {
        if (inChannels <= 0) {
            throw new IllegalArgumentException("in_channels must be > 0, got " + inChannels);
        }
        if (modelChannels <= 0 || modelChannels % 2 != 0) {
            throw new IllegalArgumentException("model_channels must be even and > 0, got " + modelChannels);
        }
        if (channelMult == null || channelMult.isEmpty()) {
            throw new IllegalArgumentException("channel_mult needs at least one level");
        }
        for (Integer m : channelMult) {
            if (m == null || m <= 0) {
                throw new IllegalArgumentException("channel_mult entries must be > 0, got " + channelMult);
            }
        }
        channelMult = List.copyOf(channelMult);
        if (numResBlocks <= 0) {
            throw new IllegalArgumentException("num_res_blocks must be > 0, got " + numResBlocks);
        }
        attentionResolutions = attentionResolutions == null ? List.of() : List.copyOf(attentionResolutions);
        int maxFactor = 1 << (channelMult.size() - 1);
        for (Integer ds : attentionResolutions) {
            if (ds == null || ds < 1 || ds > maxFactor || Integer.bitCount(ds) != 1) {
                throw new IllegalArgumentException("attention_resolutions entries must be downsample factors "
                        + "1, 2, ..., " + maxFactor + " of this UNet, got " + attentionResolutions);
            }
        }
        if (headChannels < 0) {
            throw new IllegalArgumentException("head_channels must be >= 0 (0: use num_heads), got " + headChannels);
        }
        if (headChannels == 0 && numHeads <= 0) {
            throw new IllegalArgumentException("num_heads must be > 0 when head_channels is 0, got " + numHeads);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        if (numClasses < 0) {
            throw new IllegalArgumentException("num_classes must be >= 0 (0: unconditional), got " + numClasses);
        }
        // Every attention level's width must split evenly into heads.
        for (int level = 0; level < channelMult.size(); level++) {
            int ds = 1 << level;
            if (attentionResolutions.contains(ds) || level == channelMult.size() - 1) {
                int ch = modelChannels * channelMult.get(level);
                int heads = headChannels > 0 ? ch / headChannels : numHeads;
                if (heads <= 0 || ch % heads != 0 || (headChannels > 0 && ch % headChannels != 0)) {
                    throw new IllegalArgumentException((headChannels > 0 ? "head_channels " + headChannels
                            : "num_heads " + numHeads) + " does not divide the " + ch + " channels at downsample "
                            + "factor " + ds);
                }
            }
        }
    }

    /** The speed-floor UNet (docs/speed-floor.md): 64 channels, mult 1,2, 2 res blocks, 4-head attention at 2×. */
    public static UNetConfig speedFloor(int inChannels, int numClasses) {
        return new UNetConfig(inChannels, 64, List.of(1, 2), 2, List.of(2), 4, 0, 0.0, numClasses);
    }

    /** Levels of the UNet (the length of channelMult). */
    public int levels() {
        return channelMult.size();
    }

    /** The total downsampling 2^(levels−1): input height and width must be multiples of it. */
    public int downsamplingFactor() {
        return 1 << (channelMult.size() - 1);
    }

    /** Width of the time (and class) embedding: 4·modelChannels, as in ADM. */
    public int embedChannels() {
        return 4 * modelChannels;
    }

    /** Heads of an attention block over {@code channels} channels. */
    public int headsFor(int channels) {
        return headChannels > 0 ? channels / headChannels : numHeads;
    }

    /** True when the model has a label embedding. */
    public boolean classConditional() {
        return numClasses > 0;
    }

    /** The label that stands for "no class": numClasses (the embedding's last row). */
    public int nullClass() {
        return numClasses;
    }

    /** This config with another input channel count. */
    public UNetConfig withInChannels(int c) {
        return new UNetConfig(c, modelChannels, channelMult, numResBlocks, attentionResolutions, numHeads,
                headChannels, dropout, numClasses);
    }

    /** This config with another class count (0: unconditional). */
    public UNetConfig withNumClasses(int k) {
        return new UNetConfig(inChannels, modelChannels, channelMult, numResBlocks, attentionResolutions, numHeads,
                headChannels, dropout, k);
    }

    /** This config with other widths (CLI overrides). */
    public UNetConfig withWidths(int newModelChannels, List<Integer> newChannelMult, List<Integer> newAttention) {
        return new UNetConfig(inChannels, newModelChannels, newChannelMult, numResBlocks, newAttention, numHeads,
                headChannels, dropout, numClasses);
    }
}
