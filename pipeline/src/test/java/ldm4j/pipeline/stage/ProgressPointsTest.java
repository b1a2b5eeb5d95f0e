package ldm4j.pipeline.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import ldm4j.core.data.Dataset;
import ldm4j.core.io.Json;
import ldm4j.diffusion.generate.GenerateConfig;
import ldm4j.diffusion.sampler.Sampler;
import ldm4j.diffusion.sampler.TimestepSpacing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample-quality points drawn during a UNet's training, and what a resumed training does with them. */
class ProgressPointsTest {
    @TempDir
    Path dir;

    private static final Device CPU = Device.cpu();

    @Test
    void fourPointsAreAQuarterHalfAndThreeQuartersThenTheRunsOwnEvaluation() {
        assertEquals(List.of(25L, 50L, 75L), ProgressPoints.steps(100, 4));
        assertEquals(List.of(2L, 3L, 5L), ProgressPoints.steps(6, 4));
        assertEquals(List.of(1L), ProgressPoints.steps(2, 4), "no repeats, and never 0 or the last step");
        assertEquals(List.of(), ProgressPoints.steps(1, 4));
    }

    /** A 4-step pixel UNet on tiny squares, and its four progress points (at steps 1, 2, 3; 6 samples each). */
    private record TinyRun(DiffusionStage.Input unet, ProgressPoints.Input points) {}

    private TinyRun tinyRun() throws IOException {
        String spec = TinyStages.squares(dir, 30);
        Dataset data = DataStage.open(spec);
        Path run = dir.resolve("pixels");
        DiffusionStage.Input unet = new DiffusionStage.Input(TinyStages.diffusion(4),
                new DiffusionStage.Pixels(spec, data), run, null);
        GenerateConfig g = new GenerateConfig(6, 6, Sampler.DDIM, 2, 0.0, TimestepSpacing.LEADING, null, 1.0, 5);
        ProgressPoints.Input in = new ProgressPoints.Input(new SampleStage.Pixel(run, g), data,
                new EvalStage.Cached(20), run.resolve(ProgressPoints.DIR), 4, 4, 4);
        return new TinyRun(unet, in);
    }

    /** Killed right after the second point: the resumed training draws only the third. */
    @Test
    void pointsSurviveAKillAndAResumedTrainingDrawsOnlyTheMissingOnes() throws IOException {
        TinyRun tiny = tinyRun();
        DiffusionStage.Input unet = tiny.unet();
        ProgressPoints.Input in = tiny.points();
        assertEquals(List.of(1L, 2L, 3L), in.steps());

        List<Long> reached = new ArrayList<>();
        assertThrows(IOException.class, () -> DiffusionStage.trainOrContinue(unet, CPU, in.steps(), step -> {
            reached.add(step);
            ProgressPoints.at(in, step, CPU);
            if (step == 2) {
                throw new IOException("killed");
            }
        }));
        assertEquals(List.of(1L, 2L), reached);
        Path first = in.dir().resolve(ProgressPoints.fileName(1));
        Path second = in.dir().resolve(ProgressPoints.fileName(2));
        assertTrue(Files.isRegularFile(first) && Files.isRegularFile(second));
        assertFalse(Files.exists(in.dir().resolve(ProgressPoints.fileName(3))));
        FileTime drawn = Files.getLastModifiedTime(second);
        JsonNode point = Json.readTree(second);
        assertEquals(2, point.path("step").asLong());
        assertEquals(0.5, point.path("fraction").asDouble());
        assertEquals(6, point.path("metrics").path("samples").asInt());
        assertTrue(point.path("metrics").path("fd").isNumber(), point.toString());
        assertTrue(point.path("sampling_seconds").asDouble() > 0);

        reached.clear();
        DiffusionStage.Output done = DiffusionStage.trainOrContinue(unet, CPU, in.steps(), step -> {
            reached.add(step);
            ProgressPoints.at(in, step, CPU);
        });
        assertEquals(4, done.steps());
        assertEquals(List.of(2L, 3L), reached, "resumed from the checkpoint of step 2, which is reached again");
        assertEquals(drawn, Files.getLastModifiedTime(second), "a finished point is not drawn again");
        assertTrue(Files.isRegularFile(in.dir().resolve(ProgressPoints.fileName(3))));

        // The run's own evaluation is the last point.
        JsonNode eval = Json.MAPPER.readTree("{\"ldm\": {\"samples\": 6, \"fd\": 3.0, \"fdLow\": 2.0, \"fdHigh\": 4.0}}");
        JsonNode all = ProgressPoints.collect(in.dir(), eval);
        assertEquals(4, all.size());
        assertEquals(List.of(0.25, 0.5, 0.75, 1.0), List.of(all.get(0).path("fraction").asDouble(),
                all.get(1).path("fraction").asDouble(), all.get(2).path("fraction").asDouble(),
                all.get(3).path("fraction").asDouble()));
        assertEquals(3.0, all.get(3).path("metrics").path("fd").asDouble());
    }

    /** Stopped inside the second point, before its file was written (a scoring error): resuming draws it. */
    @Test
    void aPointThatFailedIsDrawnWhenTheTrainingResumesFromItsCheckpoint() throws IOException {
        TinyRun tiny = tinyRun();
        DiffusionStage.Input unet = tiny.unet();
        ProgressPoints.Input in = tiny.points();
        assertThrows(IOException.class, () -> DiffusionStage.trainOrContinue(unet, CPU, in.steps(), step -> {
            if (step == 2) {
                throw new IOException("the scoring failed");
            }
            ProgressPoints.at(in, step, CPU);
        }));
        assertFalse(Files.exists(in.dir().resolve(ProgressPoints.fileName(2))));

        List<Long> reached = new ArrayList<>();
        DiffusionStage.trainOrContinue(unet, CPU, in.steps(), step -> {
            reached.add(step);
            ProgressPoints.at(in, step, CPU);
        });
        assertEquals(List.of(2L, 3L), reached);
        for (long step : List.of(1L, 2L, 3L)) {
            assertTrue(Files.isRegularFile(in.dir().resolve(ProgressPoints.fileName(step))), "point " + step);
        }
        assertEquals(4, ProgressPoints.collect(in.dir(), Json.MAPPER.readTree(
                "{\"ldm\": {\"samples\": 6, \"fd\": 3.0, \"fdLow\": 2.0, \"fdHigh\": 4.0}}")).size());
    }
}
