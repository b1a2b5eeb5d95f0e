package ldm4j.pipeline.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunStateTest {
    @TempDir
    Path dir;

    @Test
    void secondsComeInPipelineOrderWhateverOrderStagesFinishedIn() throws IOException {
        Path file = dir.resolve("run-state.json");
        RunState state = RunState.empty();
        for (Stage s : List.of(Stage.DATA, Stage.AUTOENCODER, Stage.BASELINE, Stage.DIFFUSION)) {
            state.finish(s, 1.0, file);
        }
        // The diffusion stage runs again (an edited config) and finishes last.
        state.start(Stage.DIFFUSION, null, file);
        state.finish(Stage.DIFFUSION, 2.0, file);
        Map<String, Double> seconds = RunState.read(file).seconds();
        assertEquals(List.of("data", "autoencoder", "diffusion", "baseline"), List.copyOf(seconds.keySet()));
        assertEquals(2.0, seconds.get("diffusion"));
    }
}
