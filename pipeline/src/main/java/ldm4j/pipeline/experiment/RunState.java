package ldm4j.pipeline.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import ldm4j.core.bench.MemoryPeak;
import ldm4j.core.io.Json;
import ldm4j.pipeline.RunLayout;

/**
 * Which stages of a run are done, how long each took, how much memory each peaked at and what
 * config each was made from ({@code run-state.json}), rewritten atomically whenever a stage starts
 * or finishes, so a killed run knows where to pick up and an edited config knows what to redo
 * ({@link RunPlan}).
 *
 * <p>Files written before fingerprints were kept have no {@code fingerprints}; they read as a state
 * whose stages' configs are unknown. Files written before peaks were kept have no {@code peakRss};
 * their stages' peaks are unknown until the stages run again.
 *
 * @param seconds wall time of each finished stage, by {@link Stage#id()}
 * @param fingerprints the config each stage was last started with, by {@link Stage#id()}; a stage
 *     here but not in {@code seconds} was interrupted
 * @param peakRss peak resident memory of each finished stage whose peak could be read, by {@link
 *     Stage#id()}
 */
public record RunState(Map<String, Double> seconds, Map<String, StageFingerprint> fingerprints,
        Map<String, MemoryPeak> peakRss) {
    public RunState {
        seconds = seconds == null ? new LinkedHashMap<>() : new LinkedHashMap<>(seconds);
        fingerprints = fingerprints == null ? new LinkedHashMap<>() : new LinkedHashMap<>(fingerprints);
        peakRss = peakRss == null ? new LinkedHashMap<>() : new LinkedHashMap<>(peakRss);
    }

    /** The state of a run with nothing done. */
    public static RunState empty() {
        return new RunState(Map.of(), Map.of(), Map.of());
    }

    /** The state in {@code file}, or an empty one when the run is new. */
    public static RunState read(Path file) {
        return Files.exists(file) ? Json.read(file, RunState.class) : empty();
    }

    /** True when {@code stage} finished in an earlier (or this) invocation. */
    public boolean done(Stage stage) {
        return done(stage.id());
    }

    /** True when the stage with this id ({@link StageKey#id()}) finished. */
    public boolean done(String id) {
        return seconds.containsKey(id);
    }

    /** The config {@code stage} was last started with, or null when unknown (never run, or an old file). */
    public StageFingerprint fingerprint(Stage stage) {
        return fingerprint(stage.id());
    }

    /** The config the stage with this id was last started with, or null when unknown. */
    public StageFingerprint fingerprint(String id) {
        return fingerprints.get(id);
    }

    /** Records that {@code stage} starts (again) with {@code fingerprint}: not done until it finishes. */
    void start(Stage stage, StageFingerprint fingerprint, Path file) throws IOException {
        start(stage.id(), fingerprint, file);
    }

    /** {@link #start(Stage, StageFingerprint, Path)} by the stage's id. */
    void start(String id, StageFingerprint fingerprint, Path file) throws IOException {
        seconds.remove(id);
        peakRss.remove(id);
        fingerprints.put(id, fingerprint);
        Json.write(file, this);
    }

    /**
     * Records {@code stage} as finished after {@code wallSeconds}, at a peak of {@code peak}, and
     * saves the state.
     *
     * @param peak the stage's peak resident memory, or null where it could not be read
     */
    public void finish(Stage stage, double wallSeconds, MemoryPeak peak, Path file) throws IOException {
        finish(stage.id(), wallSeconds, peak, file);
    }

    /** {@link #finish(Stage, double, MemoryPeak, Path)} by the stage's id. */
    public void finish(String id, double wallSeconds, MemoryPeak peak, Path file) throws IOException {
        seconds.put(id, wallSeconds);
        if (peak != null) {
            peakRss.put(id, peak);
        } else {
            peakRss.remove(id);
        }
        Json.write(file, this);
    }

    /** Records the fingerprint of a finished stage that has none yet (an old file); a no-op otherwise. */
    void adopt(Stage stage, StageFingerprint fingerprint, Path file) throws IOException {
        adopt(stage.id(), fingerprint, file);
    }

    /** {@link #adopt(Stage, StageFingerprint, Path)} by the stage's id. */
    void adopt(String id, StageFingerprint fingerprint, Path file) throws IOException {
        if (done(id) && fingerprints.putIfAbsent(id, fingerprint) == null) {
            Json.write(file, this);
        }
    }

    /** Forgets {@code stage} and everything after it (they depend on it), e.g. for {@code --force}. */
    public void invalidateFrom(Stage stage) {
        Set<String> ids = new HashSet<>(seconds.keySet());
        ids.addAll(fingerprints.keySet());
        for (String id : ids) {
            Stage kind = StageKey.kindOf(id);
            if (kind != null && kind.ordinal() >= stage.ordinal()) {
                seconds.remove(id);
                fingerprints.remove(id);
                peakRss.remove(id);
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
        return inStageOrder(seconds);
    }

    /** The peak of every finished stage that has one, in pipeline order, as {@link #seconds()}. */
    @Override
    public Map<String, MemoryPeak> peakRss() {
        return inStageOrder(peakRss);
    }

    private static <V> Map<String, V> inStageOrder(Map<String, V> byStage) {
        Map<String, V> ordered = new LinkedHashMap<>();
        for (Stage s : Stage.values()) {
            byStage.forEach((id, v) -> {
                if (StageKey.kindOf(id) == s) {
                    ordered.put(id, v); // a kind's further stages (baseline:dense) after its first
                }
            });
        }
        byStage.forEach(ordered::putIfAbsent); // ids of no current stage, last
        return ordered;
    }

    /** The recorded fingerprint of every stage. */
    @Override
    public Map<String, StageFingerprint> fingerprints() {
        return new LinkedHashMap<>(fingerprints);
    }
}
