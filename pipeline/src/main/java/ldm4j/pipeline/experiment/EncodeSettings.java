package ldm4j.pipeline.experiment;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * How stage 1 turns the dataset into latents for stage 2.
 *
 * @param mode "mean" (the posterior mean, as LDM's first-stage encoding) or "sample"
 * @param batchSize images per encoder pass
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EncodeSettings(String mode, int batchSize) {
    public EncodeSettings {
        mode = mode == null ? "mean" : mode;
        if (!mode.equals("mean") && !mode.equals("sample")) {
            throw new IllegalArgumentException("mode must be mean or sample, got " + mode);
        }
        if (batchSize == 0) {
            batchSize = 64;
        }
        if (batchSize < 0) {
            throw new IllegalArgumentException("batch_size must be > 0, got " + batchSize);
        }
    }

    static EncodeSettings defaults() {
        return new EncodeSettings("mean", 64);
    }
}
