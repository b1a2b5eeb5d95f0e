package ldm4j.pipeline.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import ldm4j.core.bench.MemoryPeak;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunStateTest {
    private static final MemoryPeak MIB_100 = new MemoryPeak(100L << 20, MemoryPeak.Scope.OWN);

    @TempDir
    Path dir;

    @Test
    void secondsComeInPipelineOrderWhateverOrderStagesFinishedIn() throws IOException {
        Path file = dir.resolve("run-state.json");
        RunState state = RunState.empty();
        for (Stage s : List.of(Stage.DATA, Stage.AUTOENCODER, Stage.BASELINE, Stage.DIFFUSION)) {
            state.finish(s, 1.0, MIB_100, file);
        }
        // The diffusion stage runs again (an edited config) and finishes last.
        state.start(Stage.DIFFUSION, null, file);
        state.finish(Stage.DIFFUSION, 2.0, new MemoryPeak(200L << 20, MemoryPeak.Scope.PROCESS), file);
        RunState read = RunState.read(file);
        Map<String, Double> seconds = read.seconds();
        assertEquals(List.of("data", "autoencoder", "diffusion", "baseline"), List.copyOf(seconds.keySet()));
        assertEquals(2.0, seconds.get("diffusion"));
        assertEquals(List.copyOf(seconds.keySet()), List.copyOf(read.peakRss().keySet()));
        assertEquals(new MemoryPeak(200L << 20, MemoryPeak.Scope.PROCESS), read.peakRss().get("diffusion"));
    }

    @Test
    void aStageThatStartsAgainLosesItsOldPeakAndOneWithoutAReadablePeakHasNone() throws IOException {
        Path file = dir.resolve("run-state.json");
        RunState state = RunState.empty();
        state.finish(Stage.ENCODE, 1.0, MIB_100, file);
        state.start(Stage.ENCODE, null, file);
        assertEquals(Map.of(), RunState.read(file).peakRss(), "an interrupted stage has no peak");
        state.finish(Stage.ENCODE, 1.0, null, file);
        assertEquals(Map.of(), RunState.read(file).peakRss());
        state.finish(Stage.SAMPLE, 1.0, MIB_100, file);
        state.invalidateFrom(Stage.SAMPLE);
        assertEquals(Map.of(), state.peakRss());
    }

    @Test
    void aStateFileFromBeforePeaksReadsWithNoneAndKeepsItsStages() throws IOException {
        Path file = dir.resolve("run-state.json");
        Files.writeString(file, "{\"seconds\": {\"data\": 0.1, \"autoencoder\": 8.3}, \"fingerprints\": {}}");
        RunState old = RunState.read(file);
        assertTrue(old.done(Stage.AUTOENCODER));
        assertEquals(Map.of(), old.peakRss());
        old.finish(Stage.ENCODE, 2.0, MIB_100, file);
        assertEquals(Map.of("encode", MIB_100), RunState.read(file).peakRss());
        assertEquals(8.3, RunState.read(file).seconds().get("autoencoder"));
    }
}
