package ldm4j.autoencoder;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * Architecture of a KL autoencoder (LDM's {@code ddconfig}). In YAML and JSON the keys are
 * snake_case, as in LDM: {@code in_channels}, {@code ch}, {@code ch_mult}, {@code num_res_blocks},
 * {@code z_channels}, {@code attention}, {@code dropout}.
 *
 * @param inChannels image channels C (1 for grey, 3 for RGB); the decoder outputs the same
 * @param ch base channel count; level i has {@code ch · chMult[i]} channels
 * @param chMult channel multipliers, one per resolution level; there are {@code len − 1}
 *     stride-2 downsamplings, so f = 2^(len − 1) (f = 1, 2, 4, 8 for 1 to 4 levels)
 * @param numResBlocks ResBlocks per level in the encoder; the decoder has one more per level
 * @param zChannels latent channels; the encoder outputs 2·zChannels moments (mean, log-variance)
 * @param attention whether the mid blocks have single-head self-attention between their two
 *     ResBlocks (LDM always has it)
 * @param dropout dropout rate inside every ResBlock, in [0, 1)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AutoencoderConfig(
        int inChannels,
        int ch,
        List<Integer> chMult,
        int numResBlocks,
        int zChannels,
        boolean attention,
        float dropout) {

    /** Validates every field and makes {@code chMult} immutable. */
    public AutoencoderConfig {
        if (inChannels <= 0) {
            throw new IllegalArgumentException("in_channels must be > 0, got " + inChannels);
        }
        if (ch <= 0) {
            throw new IllegalArgumentException("ch must be > 0, got " + ch);
        }
        if (chMult == null || chMult.isEmpty()) {
            throw new IllegalArgumentException("ch_mult needs at least one level, got " + chMult);
        }
        for (Integer m : chMult) {
            if (m == null || m <= 0) {
                throw new IllegalArgumentException("ch_mult entries must be > 0, got " + chMult);
            }
        }
        if (chMult.size() > 16) {
            throw new IllegalArgumentException("ch_mult has too many levels (" + chMult.size() + ")");
        }
        if (numResBlocks <= 0) {
            throw new IllegalArgumentException("num_res_blocks must be > 0, got " + numResBlocks);
        }
        if (zChannels <= 0) {
            throw new IllegalArgumentException("z_channels must be > 0, got " + zChannels);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        chMult = List.copyOf(chMult);
    }

    /** f = 2^(levels − 1); the latent is H/f × W/f. */
    public int downsamplingFactor() {
        return 1 << (chMult.size() - 1);
    }

    /** Number of resolution levels, {@code chMult.size()}. */
    public int levels() {
        return chMult.size();
    }

    /** Channels at level {@code level}: {@code ch · chMult[level]}. */
    public int channelsAt(int level) {
        return ch * chMult.get(level);
    }

    /**
     * The latent shape (zChannels, H/f, W/f) of one image.
     *
     * @throws IllegalArgumentException if H or W is not a positive multiple of f
     */
    public Shape latentShape(int height, int width) {
        int f = downsamplingFactor();
        if (height <= 0 || width <= 0 || height % f != 0 || width % f != 0) {
            throw new IllegalArgumentException(
                    "image size " + height + "×" + width + " must be a positive multiple of the downsampling factor " + f);
        }
        return new Shape(zChannels, height / f, width / f);
    }
}
