package ldm4j.autoencoder.loss;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Settings of the optional PatchGAN term (LDM's {@code LPIPSWithDiscriminator} without LPIPS). In
 * YAML it is the {@code disc} section of the autoencoder's training config; keys are snake_case.
 *
 * @param enabled whether a discriminator is trained at all (off: the loss is {@code rec + β·KL} only)
 * @param start training step from which the discriminator and its generator term are used
 *     (LDM's {@code disc_start}); before it neither runs, so its optimiser takes no step
 * @param weight the factor on the adaptive weight (LDM's {@code disc_weight}, 0.5 in its configs)
 * @param channels filters of the first discriminator conv (LDM's {@code ndf}, 64)
 * @param layers stride-2 conv layers (LDM's {@code n_layers}, 3); the input must be at least
 *     {@code 3·2^layers} pixels wide for the patch map to be non-empty ({@link #minImageSize()})
 * @param lr the discriminator's AdamW learning rate (LDM uses the autoencoder's)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DiscriminatorConfig(boolean enabled, long start, double weight, int channels, int layers, double lr) {
    /** Validates every field. */
    public DiscriminatorConfig {
        if (start < 0) {
            throw new IllegalArgumentException("disc.start must be >= 0, got " + start);
        }
        if (!(weight >= 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("disc.weight must be finite and >= 0, got " + weight);
        }
        if (channels <= 0) {
            throw new IllegalArgumentException("disc.channels must be > 0, got " + channels);
        }
        if (layers < 1 || layers > 6) {
            throw new IllegalArgumentException("disc.layers must be in [1, 6], got " + layers);
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("disc.lr must be finite and > 0, got " + lr);
        }
    }

    /** No discriminator (LDM's defaults for the other fields, should it be switched on). */
    public static DiscriminatorConfig off() {
        return new DiscriminatorConfig(false, 50_001, 0.5, 64, 3, 4.5e-6);
    }

    /**
     * Smallest image side the discriminator accepts: each of the {@code layers} stride-2 convs halves
     * the side, and the two final 4×4 stride-1 convs (padding 1) take one pixel off each, so
     * {@code H/2^layers − 2 ≥ 1}.
     */
    public int minImageSize() {
        return 3 << layers;
    }
}
