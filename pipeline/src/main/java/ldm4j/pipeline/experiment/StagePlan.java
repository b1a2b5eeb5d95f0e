package ldm4j.pipeline.experiment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One stage of a run as {@link RunDriver} runs it: which stage, the config its outputs are made from
 * (its fingerprint), the folders it writes, and its body, which calls a stage class of {@code
 * ldm4j.pipeline.stage}. A run is a list of these; {@link EndToEndRun#plans} makes the list of
 * {@code ldm4j run}, and an experiment that runs many variants makes one list per variant.
 *
 * @param key which stage: its kind and its id in the run (a second baseline has an id of its own)
 * @param input the stage's resolved config, and what of its work survives a change to it
 * @param outputs what the stage writes, deleted before it runs again from scratch
 * @param derived what it writes from its trained model, deleted when it runs again but keeps that
 *     model (the baseline's samples); empty for a stage that trains nothing or keeps it all
 * @param body runs the stage
 */
public record StagePlan(StageKey key, StageInput input, List<Path> outputs, List<Path> derived, Body body) {
    /** A stage's work; it may throw what the stage's own code throws. */
    @FunctionalInterface
    public interface Body {
        void run() throws IOException;
    }

    public StagePlan {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(body, "body");
        outputs = List.copyOf(outputs);
        derived = List.copyOf(derived);
        if (key.kind() == Stage.DATA || key.kind() == Stage.SUMMARY) {
            throw new IllegalArgumentException("the driver runs the " + key.id() + " stage itself");
        }
    }

    /** The only (or first) stage of its kind in the run. */
    public StagePlan(Stage stage, StageInput input, List<Path> outputs, List<Path> derived, Body body) {
        this(StageKey.of(stage), input, outputs, derived, body);
    }

    /** What the stage does. */
    public Stage stage() {
        return key.kind();
    }

    /** A stage that writes {@code output} and keeps nothing of an earlier run. */
    public static StagePlan of(Stage stage, StageInput input, Path output, Body body) {
        return new StagePlan(stage, input, List.of(output), List.of(), body);
    }
}
