package ldm4j.autoencoder.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import ldm4j.autoencoder.loss.DiscriminatorConfig;
import ldm4j.autoencoder.loss.ReconstructionLoss;
import ldm4j.core.InputException;
import ldm4j.core.data.Dataset;
import ldm4j.core.train.GivenKeys;
import ldm4j.core.train.LrSchedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An interrupted run continues on the uninterrupted run's loss curve, with every piece of state in
 * play: AdamW moments, EMA, the NLL log-variance, the discriminator and its optimiser, data order
 * across an epoch boundary, posterior noise. Surefire runs libtorch on one thread, where this is
 * bit-exact; the CSV keeps 6 significant digits, so the rows must match as text.
 */
class AutoencoderResumeTest {
    private static final int TOTAL = 12;
    private static final int INTERRUPT = 6;

    @TempDir
    Path dir;

    @Test
    void resumedRunContinuesOnSameLossCurve() throws IOException {
        Dataset data = TinyData.open(dir.resolve("data"), 36, 2); // 32 train images: 4 batches of 8 per epoch
        AutoencoderTrainConfig base = AutoencoderTrainConfig.resolve(TinyData.config(TOTAL, 1e-4, 8), null, Map.of(
                "loss", ReconstructionLoss.NLL,
                "ema", true,
                "disc", new DiscriminatorConfig(true, 3, 0.5, 8, 2, 1e-3),
                "seed", 7L));
        Path whole = dir.resolve("whole");
        AutoencoderTrainer.Result a = AutoencoderTrainer.run(base, data, "tiny", whole, null, Device.cpu());
        Path interrupted = dir.resolve("interrupted");
        AutoencoderTrainer.run(TinyData.with(base, "steps", (long) INTERRUPT), data, "tiny", interrupted, null,
                Device.cpu());
        Path checkpoint = interrupted.resolve(AutoencoderTrainer.CHECKPOINT_DIR);
        AutoencoderTrainConfig resumed = AutoencoderTrainConfig.resolve(
                AutoencoderCheckpoint.readConfig(checkpoint), null, Map.of("steps", (long) TOTAL));
        AutoencoderTrainer.Result b = AutoencoderTrainer.run(resumed, data, "tiny", interrupted, checkpoint,
                Device.cpu());
        assertEquals(0, a.skippedSteps() + b.skippedSteps(), "skipped steps");
        List<String> expected = trainingColumns(whole.resolve("train-log.csv"));
        List<String> actual = trainingColumns(interrupted.resolve("train-log.csv"));
        assertEquals(TOTAL, actual.size(), "one row per step, none duplicated: " + actual);
        for (int step = INTERRUPT + 1; step <= TOTAL; step++) {
            assertEquals(expected.get(step - 1), actual.get(step - 1), "row of step " + step);
        }
        String gLoss = expected.get(TOTAL - 1).split(",")[8];
        assertTrue(!gLoss.isEmpty() && !gLoss.equals("NaN"), "the GAN term was active: " + expected.get(TOTAL - 1));
    }

    /** A caller that hands the trainer another config than the checkpoint's is stopped, whatever the key. */
    @Test
    void resumingWithAnotherConfigIsRefusedNamingTheKeyAndBothValues() throws IOException {
        Dataset data = TinyData.open(dir.resolve("data"), 20, 3);
        AutoencoderTrainConfig base = TinyData.config(2, 1e-4, 8);
        Path run = dir.resolve("run");
        AutoencoderTrainer.run(base, data, "tiny", run, null, Device.cpu());
        Path checkpoint = run.resolve(AutoencoderTrainer.CHECKPOINT_DIR);
        AutoencoderTrainConfig otherBeta = TinyData.with(TinyData.with(base, "steps", 4L), "beta", 0.5);
        InputException e = assertThrows(InputException.class,
                () -> AutoencoderTrainer.run(otherBeta, data, "tiny", run, checkpoint, Device.cpu()));
        assertTrue(e.getMessage().contains(checkpoint.toString()) && e.getMessage().contains("beta = 1.0E-4")
                && e.getMessage().contains("beta = 0.5"), e.getMessage());
        assertEquals(2, AutoencoderCheckpoint.readConfig(checkpoint).steps(), "nothing was trained");
    }

    /** A cosine run too short for its warm-up records the shortened one, and resuming to more steps keeps it. */
    @Test
    void aShortRunRecordsItsShortenedWarmupAndAResumeKeepsIt() throws IOException {
        Dataset data = TinyData.open(dir.resolve("data"), 20, 3);
        AutoencoderTrainConfig cosine = TinyData.with(TinyData.config(2, 1e-4, 8), "lr_decay",
                LrSchedule.Decay.COSINE);
        assertEquals(0, cosine.warmup(), "10 steps of warm-up do not fit 2");
        Path run = dir.resolve("run");
        AutoencoderTrainer.run(cosine, data, "tiny", run, null, Device.cpu());
        Path checkpoint = run.resolve(AutoencoderTrainer.CHECKPOINT_DIR);
        AutoencoderTrainConfig saved = AutoencoderCheckpoint.readConfig(checkpoint);
        assertEquals(0, saved.warmup());
        AutoencoderTrainConfig more = AutoencoderTrainConfig.resume(saved, AutoencoderTrainConfig.defaults(1),
                GivenKeys.none().flag("--steps", "steps", 20L), checkpoint);
        assertEquals(0, more.warmup(), "the schedule the run was trained on");
        assertEquals(20, more.steps());
    }

    /** step, loss, rec, kl, grad_norm, lr, skipped, logvar, g_loss, d_weight, d_loss: evaluations left out. */
    private static List<String> trainingColumns(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        return lines.subList(1, lines.size()).stream()
                .map(l -> String.join(",", List.of(l.split(",", -1)).subList(0, 11)))
                .toList();
    }
}
