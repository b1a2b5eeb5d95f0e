package ldm4j.autoencoder.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import ldm4j.autoencoder.loss.DiscriminatorConfig;
import ldm4j.core.data.Dataset;
import ldm4j.core.io.Checkpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The discriminator does nothing before {@code disc.start} and trains every step after it. */
class DiscriminatorScheduleTest {
    @TempDir
    Path dir;

    @Test
    void discriminatorTakesNoStepBeforeDiscStart() throws IOException {
        Dataset data = TinyData.open(dir.resolve("data"), 36, 4);
        AutoencoderTrainConfig before = AutoencoderTrainConfig.resolve(TinyData.config(4, 1e-6, 8), null,
                Map.of("disc", new DiscriminatorConfig(true, 100, 0.5, 8, 2, 1e-3)));
        assertEquals(0, discSteps(AutoencoderTrainer.run(before, data, "tiny", dir.resolve("off"), null, Device.cpu())));
        List<String> rows = Files.readAllLines(dir.resolve("off/train-log.csv"));
        assertTrue(rows.get(4).contains(",NaN,NaN,NaN"), "no GAN terms before the start: " + rows.get(4));

        AutoencoderTrainConfig after = TinyData.with(before, "disc.start", 1L);
        AutoencoderTrainer.Result r = AutoencoderTrainer.run(after, data, "tiny", dir.resolve("on"), null, Device.cpu());
        long discSkipped = Checkpoints.readInfo(r.checkpoint()).state().get("discSkippedSteps").asLong();
        assertEquals(3 - discSkipped, discSteps(r), "steps 1, 2, 3 (0-based) train the discriminator");
    }

    private static long discSteps(AutoencoderTrainer.Result r) {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> state = Checkpoints.readTensors(r.checkpoint(), Checkpoints.OPTIMIZER, m);
            return state.get(AutoencoderTrainer.DISC_PREFIX + "adamw.step").getLong();
        }
    }
}
