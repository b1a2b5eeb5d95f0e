package ldm4j.autoencoder;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.annotation.JsonInclude;
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
 * @param latent a spatial map ({@code conv}, the default: LDM's compressor, the UNet's input) or a
 *     vector of {@code latent_dim} Gaussians ({@code dense}: the classic VAE); see {@link LatentKind}.
 *     Null reads as conv, and conv is left out of the JSON, so older configs read and fingerprint the same
 * @param latentDim d, the size of a dense latent; 0 (left out of the JSON) means {@value
 *     #DEFAULT_LATENT_DIM} for a dense latent; must be 0 for a conv one
 * @param trunk the conv {@link Encoder}/{@link Decoder} ({@code conv}, the default) or none ({@code
 *     none}: linear encoder and decoder on the flattened image; dense only); see {@link Trunk}
 * @param imageSize the side of the square images a dense latent's linear layers are sized for; 0
 *     (left out of the JSON) for a conv latent, which takes any multiple of f. A dense config may
 *     leave it 0: the trainer sets it from the data ({@link #withImageSize})
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AutoencoderConfig(
        int inChannels,
        int ch,
        List<Integer> chMult,
        int numResBlocks,
        int zChannels,
        boolean attention,
        float dropout,
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = FirstConstantIsDefault.class) LatentKind latent,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int latentDim,
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = FirstConstantIsDefault.class) Trunk trunk,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int imageSize) {

    /** d of a dense latent whose config does not give {@code latent_dim}: the sweep of configs/vae-fashion.yaml. */
    public static final int DEFAULT_LATENT_DIM = 16;

    /** A conv-latent autoencoder: LDM's compressor, the config every preset had before dense latents. */
    public AutoencoderConfig(int inChannels, int ch, List<Integer> chMult, int numResBlocks, int zChannels,
            boolean attention, float dropout) {
        this(inChannels, ch, chMult, numResBlocks, zChannels, attention, dropout, LatentKind.CONV, 0, Trunk.CONV, 0);
    }

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
        latent = latent == null ? LatentKind.CONV : latent;
        trunk = trunk == null ? Trunk.CONV : trunk;
        if (latentDim < 0) {
            throw new IllegalArgumentException("latent_dim must be > 0, got " + latentDim);
        }
        if (imageSize < 0) {
            throw new IllegalArgumentException("image_size must be > 0, got " + imageSize);
        }
        if (latent == LatentKind.CONV) {
            if (latentDim != 0) {
                throw new IllegalArgumentException("latent_dim applies to latent: dense only; a conv latent has"
                        + " z_channels × H/f × W/f elements");
            }
            if (trunk != Trunk.CONV) {
                throw new IllegalArgumentException("trunk: none needs latent: dense");
            }
            if (imageSize != 0) {
                throw new IllegalArgumentException("image_size applies to latent: dense only; a conv latent takes"
                        + " any multiple of the downsampling factor");
            }
        } else {
            latentDim = latentDim == 0 ? DEFAULT_LATENT_DIM : latentDim;
            int f = 1 << (chMult.size() - 1);
            if (trunk == Trunk.CONV && imageSize % f != 0) {
                throw new IllegalArgumentException("image_size " + imageSize
                        + " must be a multiple of the downsampling factor " + f);
            }
        }
    }

    /** True for a {@link LatentKind#DENSE} latent, a vector of {@link #latentDim()} Gaussians. */
    public boolean dense() {
        return latent == LatentKind.DENSE;
    }

    /** True when the latent is a spatial map (z_channels, H/f, W/f) that stage 2's UNet can take. */
    public boolean spatialLatent() {
        return latent == LatentKind.CONV;
    }

    /**
     * This config for images of {@code size} × {@code size}: a dense config without an image size gets
     * it; any other config is returned as it is.
     *
     * @throws IllegalArgumentException when a dense config was made for another size
     */
    public AutoencoderConfig withImageSize(int size) {
        if (!dense()) {
            return this;
        }
        if (imageSize == 0) {
            return new AutoencoderConfig(inChannels, ch, chMult, numResBlocks, zChannels, attention, dropout, latent,
                    latentDim, trunk, size);
        }
        if (imageSize != size) {
            throw new IllegalArgumentException("the dense autoencoder is sized for " + imageSize + "×" + imageSize
                    + " images, not " + size + "×" + size);
        }
        return this;
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
     * The latent shape of one image: (zChannels, H/f, W/f) for a conv latent, (latentDim) for a dense
     * one.
     *
     * @throws IllegalArgumentException if H or W is not a positive multiple of f, or a dense
     *     autoencoder was sized for other images
     */
    public Shape latentShape(int height, int width) {
        if (dense()) {
            requireImageSize(height, width);
            return new Shape(latentDim);
        }
        return trunkShape(height, width);
    }

    /**
     * The map at the trunk's narrow end for one image, (zChannels, H/f, W/f): the conv latent itself,
     * or what a dense latent is flattened from and unflattened into.
     *
     * @throws IllegalArgumentException if H or W is not a positive multiple of f
     */
    public Shape trunkShape(int height, int width) {
        int f = downsamplingFactor();
        if (height <= 0 || width <= 0 || height % f != 0 || width % f != 0) {
            throw new IllegalArgumentException(
                    "image size " + height + "×" + width + " must be a positive multiple of the downsampling factor " + f);
        }
        return new Shape(zChannels, height / f, width / f);
    }

    private void requireImageSize(int height, int width) {
        if (imageSize == 0) {
            throw new IllegalStateException("a dense latent needs model.image_size (the trainer sets it from the data)");
        }
        if (height != imageSize || width != imageSize) {
            throw new IllegalArgumentException("the dense autoencoder is sized for " + imageSize + "×" + imageSize
                    + " images, not " + height + "×" + width);
        }
    }
}
