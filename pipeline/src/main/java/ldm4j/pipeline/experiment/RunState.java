package ldm4j.pipeline.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import ldm4j.core.io.Json;
import ldm4j.pipeline.RunLayout;

/**
 * Which stages of a run are done, how long each took and what config each was made from
 * ({@code run-state.json}), rewritten atomically whenever a stage starts or finishes, so a killed
 * run knows where to pick up and an edited config knows what to redo ({@link RunPlan}).
 *
 * <p>Files written before fingerprints were kept have no {@code fingerprints}; they read as a state
 * whose stages' configs are unknown.
 *
 * @param seconds wall time of each finished stage, by {@link Stage#id()}
 * @param fingerprints the config each stage was last started with, by {@link Stage#id()}; a stage
 *     here but not in {@code seconds} was interrupted
 */
public record RunState(Map<String, Double> seconds, Map<String, StageFingerprint> fingerprints) {
    public RunState {
        seconds = seconds == null ? new LinkedHashMap<>() : new LinkedHashMap<>(seconds);
        fingerprints = fingerprints == null ? new LinkedHashMap<>() : new LinkedHashMap<>(fingerprints);
    }

    /** The state of a run with nothing done. */
    public static RunState empty() {
        return new RunState(Map.of(), Map.of());
    }

    /** The state in {@code file}, or an empty one when the run is new. */
    public static RunState read(Path file) {
        return Files.exists(file) ? Json.read(file, RunState.class) : empty();
    }

    /** True when {@code stage} finished in an earlier (or this) invocation. */
    public boolean done(Stage stage) {
        return seconds.containsKey(stage.id());
    }

    /** The config {@code stage} was last started with, or null when unknown (never run, or an old file). */
    public StageFingerprint fingerprint(Stage stage) {
        return fingerprints.get(stage.id());
    }

    /** Records that {@code stage} starts (again) with {@code fingerprint}: not done until it finishes. */
    void start(Stage stage, StageFingerprint fingerprint, Path file) throws IOException {
        seconds.remove(stage.id());
        fingerprints.put(stage.id(), fingerprint);
        Json.write(file, this);
    }

    /** Records {@code stage} as finished after {@code wallSeconds} and saves the state. */
    public void finish(Stage stage, double wallSeconds, Path file) throws IOException {
        seconds.put(stage.id(), wallSeconds);
        Json.write(file, this);
    }

    /** Records the fingerprint of a finished stage that has none yet (an old file); a no-op otherwise. */
    void adopt(Stage stage, StageFingerprint fingerprint, Path file) throws IOException {
        if (done(stage) && fingerprints.putIfAbsent(stage.id(), fingerprint) == null) {
            Json.write(file, this);
        }
    }

    /** Forgets {@code stage} and everything after it (they depend on it), e.g. for {@code --force}. */
    public void invalidateFrom(Stage stage) {
        for (Stage s : Stage.values()) {
            if (s.ordinal() >= stage.ordinal()) {
                seconds.remove(s.id());
                fingerprints.remove(s.id());
            }
        }
    }

    /**
     * Wall time of every finished stage, in pipeline order ({@link Stage} order), whatever order they
     * finished in: a stage that ran again after an edited config would otherwise move to the end of
     * the summary's table.
     */
    @Override
    public Map<String, Double> seconds() {
        Map<String, Double> ordered = new LinkedHashMap<>();
        for (Stage s : Stage.values()) {
            if (seconds.containsKey(s.id())) {
                ordered.put(s.id(), seconds.get(s.id()));
            }
        }
        seconds.forEach(ordered::putIfAbsent); // ids of no current stage, last
        return ordered;
    }

    /** The recorded fingerprint of every stage. */
    @Override
    public Map<String, StageFingerprint> fingerprints() {
        return new LinkedHashMap<>(fingerprints);
    }
}
