package ldm4j.autoencoder.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import ldm4j.autoencoder.AutoencoderConfig;
import ldm4j.autoencoder.AutoencoderInference;
import ldm4j.autoencoder.AutoencoderKL;
import ldm4j.autoencoder.DiagonalGaussian;
import ldm4j.autoencoder.LatentKind;
import ldm4j.autoencoder.Trunk;
import ldm4j.autoencoder.latent.LatentEncoder;
import ldm4j.autoencoder.latent.LatentMode;
import ldm4j.autoencoder.loss.Likelihood;
import ldm4j.autoencoder.loss.ReconstructionLoss;
import ldm4j.core.InputException;
import ldm4j.core.data.DataView;
import ldm4j.core.data.Dataset;
import ldm4j.core.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dense VAE through the one trainer: it is sized from the data, checkpoints, resumes on the same
 * loss curve, reloads, reports the effective β and a negative ELBO, and {@code encode} refuses it.
 */
class DenseTrainingTest {
    private static final int TOTAL = 8;
    private static final int INTERRUPT = 4;

    @TempDir
    Path dir;

    static AutoencoderTrainConfig denseConfig(long steps) {
        AutoencoderConfig model = new AutoencoderConfig(1, 8, List.of(1, 2), 1, 2, true, 0f, LatentKind.DENSE, 6,
                Trunk.CONV, 0);
        return AutoencoderTrainConfig.resolve(TinyData.config(steps, 1.0, 8), null, Map.of("model", model,
                "loss", ReconstructionLoss.L2, "sigma", 0.5, "eval_images", 4, "final_eval_images", 4));
    }

    @Test
    void trainsResumesReloadsAndReportsTheEffectiveBeta() throws IOException {
        Dataset data = TinyData.open(dir.resolve("data"), 36, 3);
        AutoencoderTrainConfig config = denseConfig(TOTAL);
        assertEquals(0, config.model().imageSize(), "the data sizes it");
        Path whole = dir.resolve("whole");
        AutoencoderTrainer.Result a = AutoencoderTrainer.run(config, data, "tiny", whole, null, Device.cpu());
        Path interrupted = dir.resolve("interrupted");
        AutoencoderTrainer.run(TinyData.with(config, "steps", (long) INTERRUPT), data, "tiny", interrupted, null,
                Device.cpu());
        Path checkpoint = interrupted.resolve(AutoencoderTrainer.CHECKPOINT_DIR);
        assertEquals(TinyData.SIZE, AutoencoderCheckpoint.readConfig(checkpoint).model().imageSize());
        AutoencoderTrainer.run(TinyData.with(config, "steps", (long) TOTAL), data, "tiny", interrupted, checkpoint,
                Device.cpu());
        List<String> expected = Files.readAllLines(whole.resolve("train-log.csv"));
        List<String> actual = Files.readAllLines(interrupted.resolve("train-log.csv"));
        for (int step = INTERRUPT + 1; step <= TOTAL; step++) {
            assertEquals(lossColumns(expected.get(step)), lossColumns(actual.get(step)), "row of step " + step);
        }

        AutoencoderMetrics m = a.metrics();
        assertEquals(2 * 0.25 * 1.0, m.betaEffective(), 1e-12, "2σ²β");
        assertEquals(Likelihood.SUM_SQUARED_ERROR, m.betaRelativeTo());
        assertTrue(Double.isFinite(m.negElboBitsPerDim()), "negative ELBO " + m.negElboBitsPerDim());
        assertEquals(6, m.channelMean().length, "a dense latent's units are its channels");
        JsonNode summary = Json.MAPPER.readTree(whole.resolve("metrics.json").toFile());
        assertEquals(0.5, summary.get("sigma").asDouble());
        assertEquals(0.5, summary.get("betaEffective").asDouble(), 1e-12);
        assertEquals("dense", summary.get("latent").asText());
        assertEquals(m.negElboBitsPerDim(), summary.get("test").get("negElboBitsPerDim").asDouble(), 1e-12);

        try (NDManager root = NDManager.newBaseManager()) {
            AutoencoderCheckpoint ckpt = AutoencoderCheckpoint.load(whole.resolve(AutoencoderTrainer.CHECKPOINT_DIR), root);
            assertTrue(ckpt.model().config().dense());
            InputException e = assertThrows(InputException.class, ckpt::requireSpatialLatent);
            assertTrue(e.getMessage().contains("vector"), e.getMessage());
            assertThrows(InputException.class,
                    () -> LatentEncoder.encode(ckpt, data, "tiny", LatentMode.MEAN, 8, 0, root));
        }
    }

    @Test
    void dataOfAnotherSizeIsRefusedInOneLine() throws IOException {
        Dataset data = TinyData.open(dir.resolve("data"), 36, 3);
        AutoencoderTrainConfig config = denseConfig(2);
        AutoencoderTrainConfig sized = config.withImageSize(32);
        InputException e = assertThrows(InputException.class,
                () -> AutoencoderTrainer.run(sized, data, "tiny", dir.resolve("run"), null, Device.cpu()));
        assertTrue(e.getMessage().contains("sized for 32×32"), e.getMessage());
    }

    /**
     * For a linear decoder x̂ = Wz + b the expected squared error under q is known in closed form,
     * ‖x − Wμ − b‖² + Σⱼ ‖W₍:,ⱼ₎‖² σⱼ², so the evaluator's one-sample negative ELBO (its Gaussian
     * constant and KL included) must come out near the exact value, and its bits per dimension follow
     * from it.
     */
    @Test
    void evaluatorsNegativeElboMatchesTheClosedFormOfALinearDecoder() throws IOException {
        DataView view = TinyData.open(dir.resolve("data"), 400, 5).train();
        double sigma = 0.5;
        Likelihood likelihood = new Likelihood(ReconstructionLoss.L2, 1.0, sigma, Double.NaN);
        try (NDManager root = NDManager.newBaseManager()) {
            AutoencoderKL model = new AutoencoderKL(new AutoencoderConfig(1, 8, List.of(1), 1, 1, false, 0f,
                    LatentKind.DENSE, 4, Trunk.NONE, TinyData.SIZE));
            model.initialize(root);
            AutoencoderMetrics m = AutoencoderEvaluator.evaluate(model, likelihood, view, 0, 8, root);
            int dims = TinyData.SIZE * TinyData.SIZE;
            double exact = 0;
            try (NDManager scope = root.newSubManager()) {
                int[] all = AutoencoderEvaluator.subset(view, 0);
                NDArray x = view.batch(scope, all).images();
                DiagonalGaussian q = AutoencoderInference.encode(model, x);
                float[] residual = x.sub(AutoencoderInference.decode(model, q.mean())).square()
                        .sum(new int[] {1, 2, 3}).toFloatArray();
                float[] w = model.latentProjection().weight().getArray().toFloatArray(); // (dims, 4)
                float[] var = q.var().toFloatArray();
                float[] kl = q.kl().toFloatArray();
                double[] columnNorm = new double[4];
                for (int i = 0; i < dims; i++) {
                    for (int j = 0; j < 4; j++) {
                        columnNorm[j] += (double) w[i * 4 + j] * w[i * 4 + j];
                    }
                }
                for (int n = 0; n < all.length; n++) {
                    double sse = residual[n];
                    for (int j = 0; j < 4; j++) {
                        sse += columnNorm[j] * var[n * 4 + j];
                    }
                    exact += sse / (2 * sigma * sigma) + 0.5 * dims * Math.log(2 * Math.PI * sigma * sigma) + kl[n];
                }
                exact /= all.length;
            }
            assertEquals(exact, m.negElboNats(), 0.03 * exact, "one-sample estimate against the closed form");
            assertEquals(m.negElboNats() / (dims * Math.log(2)) + Math.log(127.5) / Math.log(2),
                    m.negElboBitsPerDim(), 1e-9);
            assertEquals(0.5, m.betaEffective(), 1e-12);
            AutoencoderMetrics plain = AutoencoderEvaluator.evaluate(model, view, 0, 8, root);
            assertTrue(Double.isNaN(plain.negElboNats()) && Double.isNaN(plain.betaEffective()));
            assertNull(plain.betaRelativeTo());
            assertEquals(m.psnr(), plain.psnr(), 0);
        }
    }

    /** step, loss, rec, kl: the columns a resumed run must reproduce. */
    private static String lossColumns(String row) {
        String[] c = row.split(",");
        return String.join(",", c[0], c[1], c[2], c[3]);
    }
}
