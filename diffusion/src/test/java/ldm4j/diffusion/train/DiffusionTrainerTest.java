package ldm4j.diffusion.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import ldm4j.core.InputException;
import ldm4j.core.data.LatentSet;
import ldm4j.core.io.Checkpoints;
import ldm4j.core.nn.GcPressure;
import ldm4j.core.train.GivenKeys;
import ldm4j.core.train.LrSchedule;
import ldm4j.diffusion.generate.GenerateConfig;
import ldm4j.diffusion.generate.Generator;
import ldm4j.diffusion.objective.LossWeighting;
import ldm4j.diffusion.objective.Prediction;
import ldm4j.diffusion.sampler.Sampler;
import ldm4j.diffusion.sampler.TimestepSpacing;
import ldm4j.diffusion.schedule.BetaSchedule;
import ldm4j.diffusion.schedule.NoiseSchedule;
import ldm4j.diffusion.unet.UNet;
import ldm4j.diffusion.unet.UNetConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stage-2 trainer on a two-mode toy set of 1×4×4 "latents" that are all +0.8 or all −0.8. */
class DiffusionTrainerTest {
    static final float MODE = 0.8f;

    @TempDir
    Path dir;

    /** n latents 1×4×4, even ones +0.8 with label 0, odd ones −0.8 with label 1. */
    static DiffusionData twoModes(int n) {
        float[] x = new float[n * 16];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            java.util.Arrays.fill(x, i * 16, (i + 1) * 16, i % 2 == 0 ? MODE : -MODE);
        }
        LatentSet.Header h = new LatentSet.Header(1, 4, 4, n, 0, 2, 1.0, "mean", "toy", "none", "none", null);
        return DiffusionData.latents(new LatentSet(h, x, labels, new float[0], new int[0]), "toy");
    }

    /**
     * {floor, zero} of the v-prediction loss on {@link #twoModes}, by Monte Carlo over t, ε and the
     * mode: the Bayes-optimal v̂ = (a/s)·x_t − E[x_0|x_t]/s with E[x_0|x_t] = m·tanh(a·m·Σx_t/s²) leaves
     * (E[x_0|x_t] − x_0)²/s² per element; a model that outputs 0 scores E[v²] = a² + s²m².
     */
    static double[] twoModeVLossBounds(NoiseSchedule schedule) {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(11);
        int n = 100_000;
        double floor = 0;
        double zero = 0;
        for (int i = 0; i < n; i++) {
            int t = rng.nextInt(schedule.steps());
            double a = schedule.sqrtAlphaBar()[t];
            double s = schedule.sqrtOneMinusAlphaBar()[t];
            double x0 = rng.nextBoolean() ? MODE : -MODE;
            double sum = 0;
            for (int j = 0; j < 16; j++) {
                sum += a * x0 + s * rng.nextGaussian();
            }
            double posterior = MODE * Math.tanh(a * MODE * sum / (s * s));
            floor += (posterior - x0) * (posterior - x0) / (s * s) / n;
            zero += (a * a + s * s * MODE * MODE) / n;
        }
        return new double[] {floor, zero};
    }

    static DiffusionTrainConfig tiny(long steps, boolean conditional, long seed) {
        UNetConfig model = new UNetConfig(1, 16, List.of(1, 2), 1, List.of(2), 2, 0, 0.0, 0);
        return new DiffusionTrainConfig(model, BetaSchedule.LINEAR, 1000, 0.0, 0.0, Prediction.EPS, LossWeighting.UNIFORM,
                steps, 16, 2e-3, 5, LrSchedule.Decay.CONSTANT, 0.0, 0.0, 1.0, 0.999, conditional, 0.1, seed, 1, 0, 0, 0, 20,
                1.0);
    }

    private static List<Double> steps(DiffusionTrainer trainer, NDManager root, long from, long to) {
        List<Double> losses = new ArrayList<>();
        for (long k = from; k < to; k++) {
            try (NDManager scope = root.newSubManager()) {
                losses.add(trainer.step(k, scope).get("loss"));
            }
        }
        return losses;
    }

    private static float[] weights(UNet unet) {
        List<Float> all = new ArrayList<>();
        for (Pair<String, Parameter> p : unet.getParameters()) {
            for (float v : p.getValue().getArray().toFloatArray()) {
                all.add(v);
            }
        }
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(i);
        }
        return out;
    }

    /** Attention at 2×2, class-conditional: GC pressure before every backward changes no bit. */
    @Test
    void gcBetweenForwardAndBackwardChangesNoBit() {
        try (NDManager root = NDManager.newBaseManager()) {
            DiffusionTrainer quiet = DiffusionTrainer.start(tiny(3, true, 5), twoModes(32), dir.resolve("quiet"), root);
            DiffusionTrainer underGc = DiffusionTrainer.start(tiny(3, true, 5), twoModes(32), dir.resolve("gc"), root)
                    .beforeBackward(GcPressure::apply);
            for (long k = 0; k < 3; k++) {
                try (NDManager scope = root.newSubManager()) {
                    Map<String, Double> a = quiet.step(k, scope);
                    Map<String, Double> b = underGc.step(k, scope);
                    assertEquals(a, b, "step " + k);
                    assertEquals(0.0, a.get("skipped"), "step " + k);
                }
            }
            assertArrayEquals(weights(quiet.unet()), weights(underGc.unet()), "weights after three steps");
        }
    }

    @Test
    void trainingOnTwoModesLowersTheLossAndSamplesLandNearTheModes() throws IOException {
        try (NDManager root = NDManager.newBaseManager()) {
            // one level, no attention: few ops per step; v-prediction keeps x_0 bounded at high noise
            UNetConfig model = new UNetConfig(1, 16, List.of(1), 1, List.of(), 2, 0, 0.0, 0);
            DiffusionTrainConfig cfg = new DiffusionTrainConfig(model, BetaSchedule.LINEAR, 1000, 0.0, 0.0, Prediction.V,
                    LossWeighting.UNIFORM, 160, 32, 3e-3, 5, LrSchedule.Decay.CONSTANT, 0.0, 0.0, 1.0, 0.99, false, 0.1, 1, 1, 0,
                    0, 0, 20, 1.0);
            DiffusionTrainer trainer = DiffusionTrainer.start(cfg, twoModes(64), dir, root);
            List<Double> losses = steps(trainer, root, 0, 160);
            double first = losses.subList(0, 20).stream().mapToDouble(d -> d).average().orElseThrow();
            double last = losses.subList(140, 160).stream().mapToDouble(d -> d).average().orElseThrow();
            // Most of the way from the untrained model's loss (its output starts at 0) to the Bayes floor.
            double[] bounds = twoModeVLossBounds(trainer.config().noiseSchedule());
            double target = bounds[0] + 0.35 * (bounds[1] - bounds[0]);
            assertTrue(last < target, "loss fell from " + first + " to " + last + "; the floor is " + bounds[0]
                    + ", a zero output scores " + bounds[1] + ", the test asks for < " + target);

            UNet unet = trainer.unet();
            trainer.ema().swap(unet.getParameters());
            GenerateConfig g = new GenerateConfig(32, 32, Sampler.DDIM, 20, 0.0, TimestepSpacing.TRAILING, null, 1, 5);
            float[] samples = Generator.generate(unet, trainer.config().predictionType(),
                    trainer.config().noiseSchedule(), new long[] {1, 4, 4}, g, root, d -> {});
            int nearMode = 0;
            StringBuilder means = new StringBuilder();
            for (int i = 0; i < 32; i++) {
                double mean = 0;
                for (int j = 0; j < 16; j++) {
                    mean += samples[i * 16 + j] / 16.0;
                }
                means.append(String.format(" %.2f", mean));
                nearMode += Math.abs(Math.abs(mean) - MODE) < 0.25 ? 1 : 0;
            }
            assertTrue(nearMode >= 24, nearMode + " of 32 sample means near ±0.8:" + means);
        }
    }

    @Test
    void sameSeedGivesSameLossesAndAnotherSeedDoesNot() {
        // Every same-seed run, bit for bit, on one libtorch thread (the surefire JVM's).
        try (NDManager root = NDManager.newBaseManager()) {
            List<Double> a = steps(DiffusionTrainer.start(tiny(5, true, 3), twoModes(32), dir.resolve("a0"), root),
                    root, 0, 5);
            for (int run = 1; run < 3; run++) {
                List<Double> again = steps(DiffusionTrainer.start(tiny(5, true, 3), twoModes(32),
                        dir.resolve("a" + run), root), root, 0, 5);
                assertEquals(a, again, "same-seed run " + run);
            }
            List<Double> c = steps(DiffusionTrainer.start(tiny(5, true, 4), twoModes(32), dir.resolve("c"), root),
                    root, 0, 5);
            assertNotEquals(a, c);
        }
    }

    @Test
    void resumedRunContinuesOnTheUninterruptedLossCurve() throws IOException {
        try (NDManager root = NDManager.newBaseManager()) {
            DiffusionTrainer whole = DiffusionTrainer.start(tiny(12, true, 9), twoModes(40), dir.resolve("whole"), root);
            List<Double> uninterrupted = steps(whole, root, 0, 12);

            Path run = dir.resolve("interrupted");
            DiffusionTrainer first = DiffusionTrainer.start(tiny(12, true, 9), twoModes(40), run, root);
            // 40 latents in batches of 16: the resume point is mid-epoch
            List<Double> beforeCheckpoint = steps(first, root, 0, 7);
            first.checkpoint(7);
            assertTrue(Checkpoints.hasTensors(run.resolve("checkpoint"), Checkpoints.EMA));

            DiffusionTrainer resumed = DiffusionTrainer.resume(run, twoModes(40), run, root, 0);
            assertEquals(7, resumed.startStep());
            List<Double> continued = steps(resumed, root, 7, 12);
            assertEquals(0, whole.skippedSteps() + first.skippedSteps() + resumed.skippedSteps(), "skipped steps");
            // Bit-exact on one libtorch thread (the surefire JVM's).
            assertEquals(uninterrupted.subList(0, 7), beforeCheckpoint);
            assertEquals(uninterrupted.subList(7, 12), continued);
            assertArrayEquals(weights(whole.unet()), weights(resumed.unet()));
        }
    }

    /**
     * Resuming with the keys a user gave: equal ones continue, --steps may grow, a contradicting one
     * is refused naming it, and a damaged checkpoint is reported first, whatever the keys.
     */
    @Test
    void resumeMatchesTheGivenKeysAgainstTheCheckpointAfterCheckingItsFiles() throws IOException {
        try (NDManager root = NDManager.newBaseManager()) {
            Path run = dir.resolve("run");
            DiffusionTrainer.start(tiny(4, true, 9), twoModes(24), run, root).checkpoint(2);
            DiffusionTrainer same = DiffusionTrainer.resume(run, twoModes(24), run, root, GivenKeys.none()
                    .flag("--lr", "lr", 2e-3).flag("--class-conditional", "class_conditional", true)
                    .flag("--steps", "steps", 6L));
            assertEquals(2, same.startStep());
            assertEquals(6, same.config().steps());

            InputException lr = assertThrows(InputException.class, () -> DiffusionTrainer.resume(run, twoModes(24),
                    run, root, GivenKeys.none().flag("--lr", "lr", 1e-4)));
            assertTrue(lr.getMessage().startsWith("--lr gives lr = 1.0E-4, but the checkpoint "), lr.getMessage());
            assertTrue(lr.getMessage().contains("has lr = 0.002"), lr.getMessage());

            Path ema = run.resolve("checkpoint").resolve("ema.safetensors");
            byte[] b = Files.readAllBytes(ema);
            Files.write(ema, java.util.Arrays.copyOf(b, b.length / 2));
            InputException cut = assertThrows(InputException.class, () -> DiffusionTrainer.resume(run, twoModes(24),
                    run, root, GivenKeys.none().flag("--lr", "lr", 1e-4)));
            assertTrue(cut.getMessage().startsWith(ema + ": "), cut.getMessage());
        }
    }

    /** The trainer steps with the config's schedule, checked without training. */
    @Test
    void trainerStepsWithTheConfiguredDecay() throws IOException {
        try (NDManager root = NDManager.newBaseManager()) {
            DiffusionTrainConfig t = tiny(12, false, 3);
            DiffusionTrainConfig cosine = new DiffusionTrainConfig(t.model(), t.schedule(), t.timesteps(), 0.0, 0.0,
                    t.prediction(), t.weighting(), 12, 8, 2e-3, 2, LrSchedule.Decay.COSINE, 1e-5, 0, 1, 0.999, false, 0.1, 3, 1, 0,
                    0, 0, 5, 1.0);
            LrSchedule s = DiffusionTrainer.start(cosine, twoModes(24), dir.resolve("cosine"), root).lrSchedule();
            assertEquals(cosine.lrSchedule(), s);
            assertEquals(1e-5, s.lr(12), 1e-12);
            LrSchedule constant = DiffusionTrainer.start(t, twoModes(24), dir.resolve("constant"), root).lrSchedule();
            assertEquals(t.lr(), constant.lr(12), 1e-12);
        }
    }

    @Test
    void runWritesLogCheckpointAndSampleGridAndResumesTheLog() throws IOException {
        try (NDManager root = NDManager.newBaseManager()) {
            Path run = dir.resolve("run");
            DiffusionTrainConfig cfg = tiny(6, true, 2);
            cfg = new DiffusionTrainConfig(cfg.model(), cfg.schedule(), cfg.timesteps(), 0.0, 0.0, cfg.prediction(),
                    cfg.weighting(), 6, 8, cfg.lr(), cfg.warmup(), LrSchedule.Decay.CONSTANT, 0.0, 0, 1, 0.999, true, 0.1, 2, 1, 3, 3, 4,
                    5, 2.0);
            DiffusionTrainer.start(cfg, twoModes(24), run, root).run();
            assertTrue(Files.exists(run.resolve("samples-step3.png")));
            assertTrue(Files.exists(run.resolve("samples-step6.png")));
            List<String> log = Files.readAllLines(run.resolve("train-log.csv"));
            assertEquals("step,loss,lr,grad_norm,skipped", log.get(0));
            assertEquals(7, log.size());
            DiffusionCheckpoint ckpt = DiffusionCheckpoint.read(run);
            assertEquals(6, ckpt.step());
            assertEquals(2, ckpt.config().model().numClasses());
            assertTrue(ckpt.latent());

            Map<String, Double> more = DiffusionTrainer.resume(run, twoModes(24), run, root, 8).run();
            assertTrue(Double.isFinite(more.get("loss")));
            List<String> extended = Files.readAllLines(run.resolve("train-log.csv"));
            assertEquals(9, extended.size());
            assertEquals(log, extended.subList(0, 7));
            assertEquals(8, DiffusionCheckpoint.read(run).step());
        }
    }

    @Test
    void managedArrayCountStaysFlatOverSteps() {
        try (NDManager root = NDManager.newBaseManager()) {
            DiffusionTrainer trainer = DiffusionTrainer.start(tiny(40, true, 1), twoModes(32), dir, root);
            steps(trainer, root, 0, 3); // the optimizer creates its moments on the first step
            int after3 = root.getManagedArrays().size();
            steps(trainer, root, 3, 40);
            assertEquals(after3, root.getManagedArrays().size());
        }
    }

    @Test
    void labelDropoutReplacesAboutATenthOfTheLabelsWithTheNullClass() {
        int n = 20_000;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 7;
        }
        StepDraws d = StepDraws.draw(11, 3, n, 1, 1000, labels, 0.1, 7);
        int nulls = 0;
        for (int i = 0; i < n; i++) {
            if (d.labels()[i] == 7) {
                nulls++;
            } else {
                assertEquals(labels[i], d.labels()[i]);
            }
        }
        assertEquals(nulls, d.dropped());
        // binomial(20000, 0.1): sd ≈ 42, so ±300 is over 7 sd
        assertTrue(Math.abs(nulls - 2000) < 300, nulls + " of " + n + " dropped");
        // t is uniform over 0..T-1 and ε is standard normal
        double meanT = java.util.Arrays.stream(d.t()).average().orElseThrow();
        assertTrue(Math.abs(meanT - 499.5) < 15, "mean t " + meanT);
        assertNotEquals(StepDraws.draw(11, 4, 8, 1, 1000, null, 0, 0).t()[0] + "" + StepDraws.draw(11, 4, 8, 1, 1000,
                null, 0, 0).eps()[0], StepDraws.draw(11, 3, 8, 1, 1000, null, 0, 0).t()[0] + ""
                + StepDraws.draw(11, 3, 8, 1, 1000, null, 0, 0).eps()[0]);
    }
}
