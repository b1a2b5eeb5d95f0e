package ldm4j.pipeline.experiment;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Whether the run scores its samples (FD, precision/recall, class accuracy, sharpness) with the
 * dataset's cached feature network, training that network first when it is missing.
 *
 * @param enabled whether the eval stage runs
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EvalSettings(boolean enabled) {
    static EvalSettings defaults() {
        return new EvalSettings(true);
    }
}
