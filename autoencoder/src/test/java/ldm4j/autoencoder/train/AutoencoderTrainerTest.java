package ldm4j.autoencoder.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import ldm4j.core.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer end to end on tiny synthetic images. */
class AutoencoderTrainerTest {
    @TempDir
    Path dir;

    @Test
    void tinyModelOverfitsThirtyTwoImagesAbove25Db() throws IOException {
        Dataset data = TinyData.open(dir.resolve("data"), 36, 1); // round(9/7) of each of 4 classes to test: 32 train images
        assertEquals(32, data.train().size());
        AutoencoderTrainConfig config = TinyData.config(300, 1e-6, 8);
        long start = System.nanoTime();
        AutoencoderTrainer.Result r = AutoencoderTrainer.run(config, data, "tiny", dir.resolve("run"), null, Device.cpu());
        double seconds = (System.nanoTime() - start) / 1e9;
        try (NDManager m = NDManager.newBaseManager()) {
            AutoencoderCheckpoint ckpt = AutoencoderCheckpoint.load(r.checkpoint(), m);
            AutoencoderMetrics train = AutoencoderEvaluator.evaluate(ckpt.model(), data.train(), 0, 32, m);
            assertTrue(train.psnr() > 25, "train PSNR " + train.psnr() + " dB after 300 steps (" + seconds + " s)");
        }
        assertTrue(r.skippedSteps() <= 5, r.skippedSteps() + " skipped steps");
        for (String f : List.of("train-log.csv", "metrics.json", "reconstructions.png", "config.yaml",
                "checkpoint/checkpoint.json", "checkpoint/model.safetensors", "checkpoint/optimizer.safetensors")) {
            assertTrue(Files.isRegularFile(dir.resolve("run").resolve(f)), f);
        }
        assertTrue(r.scaleFactor() > 0 && Double.isFinite(r.scaleFactor()));
    }
}
