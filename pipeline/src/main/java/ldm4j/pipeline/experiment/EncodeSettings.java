package ldm4j.pipeline.experiment;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import ldm4j.autoencoder.latent.LatentMode;

/**
 * How stage 1 turns the dataset into latents for stage 2.
 *
 * @param mode mean (the posterior mean, as LDM's first-stage encoding) or sample
 * @param batchSize images per encoder pass
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EncodeSettings(LatentMode mode, int batchSize) {
    public EncodeSettings {
        mode = mode == null ? LatentMode.MEAN : mode;
        if (batchSize == 0) {
            batchSize = 64;
        }
        if (batchSize < 0) {
            throw new IllegalArgumentException("batch_size must be > 0, got " + batchSize);
        }
    }

    static EncodeSettings defaults() {
        return new EncodeSettings(LatentMode.MEAN, 64);
    }
}
