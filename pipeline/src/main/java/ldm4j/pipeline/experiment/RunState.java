package ldm4j.pipeline.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import ldm4j.core.io.Json;
import ldm4j.pipeline.RunLayout;

/**
 * Which stages of a run are done and how long each took ({@code run-state.json}), rewritten
 * atomically after every stage, so a killed run knows where to pick up.
 *
 * @param seconds wall time of each finished stage, by {@link Stage#id()}, in run order
 */
public record RunState(Map<String, Double> seconds) {
    public RunState {
        seconds = new LinkedHashMap<>(seconds);
    }

    /** The state in {@code file}, or an empty one when the run is new. */
    public static RunState read(Path file) {
        return Files.exists(file) ? Json.read(file, RunState.class) : new RunState(Map.of());
    }

    /** True when {@code stage} finished in an earlier (or this) invocation. */
    public boolean done(Stage stage) {
        return seconds.containsKey(stage.id());
    }

    /** Records {@code stage} as finished after {@code wallSeconds} and saves the state. */
    public void finish(Stage stage, double wallSeconds, Path file) throws IOException {
        seconds.put(stage.id(), wallSeconds);
        Json.write(file, this);
    }

    /** Forgets {@code stage} and everything after it (they depend on it), e.g. for {@code --force}. */
    public void invalidateFrom(Stage stage) {
        for (Stage s : Stage.values()) {
            if (s.ordinal() >= stage.ordinal()) {
                seconds.remove(s.id());
            }
        }
    }

    /** Wall time of every finished stage. */
    @Override
    public Map<String, Double> seconds() {
        return new LinkedHashMap<>(seconds);
    }
}
