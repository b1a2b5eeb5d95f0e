package ldm4j.pipeline.experiment;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * The config one stage consumes, and what of its work survives a change to it.
 *
 * @param config the stage's own resolved config (the values it runs with, defaults filled in)
 * @param training where the stage's trainer config sits inside {@code config} ({@link JsonPointer#empty()}
 *     for all of it), or null when the stage trains nothing. A change outside it keeps the trained
 *     model (the baseline re-samples its autoencoder without retraining it)
 * @param stepsExtendExactly whether a trainer config that differs only by a larger {@code steps} may
 *     continue from its checkpoint: true when nothing in training depends on the step count (a
 *     constant learning rate after warm-up), so the continued run equals a fresh one
 */
public record StageInput(JsonNode config, JsonPointer training, boolean stepsExtendExactly) {
    /** The trainer config's key for the total step count. */
    static final String STEPS = "steps";

    public StageInput {
        config = StageFingerprint.canonical(Objects.requireNonNull(config, "config"));
    }

    /** A stage that trains nothing: any change to its config redoes it. */
    public static StageInput of(JsonNode config) {
        return new StageInput(config, null, false);
    }
}
