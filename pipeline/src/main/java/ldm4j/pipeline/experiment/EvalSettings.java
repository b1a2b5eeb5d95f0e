package ldm4j.pipeline.experiment;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import ldm4j.pipeline.eval.ClassifierTrainingConfig;

/**
 * Whether the run scores its samples (FD, precision/recall, class accuracy, sharpness) with the
 * dataset's cached feature network, training that network first when it is missing.
 *
 * @param enabled whether the eval stage runs
 * @param classifierSteps training steps of the feature network (the same number as {@code ldm4j eval
 *     --classifier-steps}, so both use the same cached network)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EvalSettings(boolean enabled, long classifierSteps) {
    public EvalSettings {
        if (classifierSteps <= 0) {
            throw new IllegalArgumentException("classifier_steps must be > 0, got " + classifierSteps);
        }
    }

    static EvalSettings defaults() {
        return new EvalSettings(true, ClassifierTrainingConfig.DEFAULT_STEPS);
    }
}
