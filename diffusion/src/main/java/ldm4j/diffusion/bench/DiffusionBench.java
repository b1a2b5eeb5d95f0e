package ldm4j.diffusion.bench;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import ldm4j.core.bench.BenchRow;
import ldm4j.core.bench.ProcessMemory;
import ldm4j.core.engine.EngineSetup;
import ldm4j.core.io.AtomicFiles;
import ldm4j.core.train.LrSchedule;
import ldm4j.diffusion.generate.GenerateConfig;
import ldm4j.diffusion.generate.Generator;
import ldm4j.diffusion.objective.LossWeighting;
import ldm4j.diffusion.objective.Prediction;
import ldm4j.diffusion.sampler.Sampler;
import ldm4j.diffusion.sampler.TimestepSpacing;
import ldm4j.diffusion.schedule.BetaSchedule;
import ldm4j.diffusion.train.DataSpace;
import ldm4j.diffusion.train.DiffusionData;
import ldm4j.diffusion.train.DiffusionTrainConfig;
import ldm4j.diffusion.train.DiffusionTrainer;
import ldm4j.diffusion.unet.UNet;
import ldm4j.diffusion.unet.UNetConfig;

/**
 * {@code ldm4j bench diffusion}: the stage-2 figures of the speed floor in docs/speed-floor.md, measured on this
 * machine with synthetic data.
 *
 * <ul>
 *   <li>training img/s (forward + backward + clip + AdamW + EMA, as {@link DiffusionTrainer#step}) of the
 *       speed-floor UNet on 4×8×8 latents and of the same widths with channel_mult 1,2,2 on 1×32×32
 *       pixels, batch 64, 10 classes;</li>
 *   <li>sampling time for a batch of 64 with guidance 2 (a doubled batch per step): DDPM 1000, DDIM 50
 *       and DPM-Solver++(2M) 20 steps;</li>
 *   <li>RSS before and after each training loop, and the intra-op thread count.</li>
 * </ul>
 */
public final class DiffusionBench {
    /** Speed floor (docs/speed-floor.md) (PyTorch, 2 threads): UNet training on 4×8×8 latents, img/s (low end of 242–248). */
    public static final double FLOOR_LATENT_IMG_S = 242;
    /** Speed floor (docs/speed-floor.md): UNet training on 1×32×32 pixels, img/s. */
    public static final double FLOOR_PIXEL_IMG_S = 12;
    /** Speed floor (docs/speed-floor.md): DDIM 50 steps, batch 64, guidance 2, seconds. */
    public static final double FLOOR_DDIM50_S = 9.5;
    /** Speed floor (docs/speed-floor.md): DPM-Solver++(2M) 20 steps, batch 64, guidance 2, seconds. */
    public static final double FLOOR_DPM20_S = 3.8;

    private static final int BATCH = 64;
    private static final int CLASSES = 10;

    /** The module name in the bench table. */
    public static final String STAGE = "diffusion";

    private DiffusionBench() {}

    /**
     * Runs the benchmark.
     *
     * @param quick fewer training steps and DDPM 100 steps instead of 1000
     * @param root the manager to run on (its device is benchmarked)
     * @param log progress lines as the rows are measured
     */
    public static List<BenchRow> run(boolean quick, NDManager root, PrintWriter log) throws IOException {
        List<BenchRow> rows = new ArrayList<>();
        int warmup = quick ? 2 : 5;
        int timed = quick ? 5 : 40;
        UNetConfig latentUNet = UNetConfig.speedFloor(4, CLASSES);
        rows.addAll(train("UNet training step", latentUNet, DataSpace.LATENT, 4, 8, warmup, timed,
                FLOOR_LATENT_IMG_S, root, log));
        UNetConfig pixelUNet = new UNetConfig(1, 64, List.of(1, 2, 2), 2, List.of(4), 4, 0, 0.0, CLASSES);
        rows.addAll(train("UNet training step, pixels", pixelUNet, DataSpace.PIXEL, 1, 32, 1, quick ? 2 : 8,
                FLOOR_PIXEL_IMG_S, root, log));

        UNet unet = new UNet(latentUNet);
        EngineSetup.seed(0);
        unet.initialize(root);
        int ddpmSteps = quick ? 100 : 1000;
        rows.add(sample(unet, Sampler.DDPM, ddpmSteps, Double.NaN, root, log));
        rows.add(sample(unet, Sampler.DDIM, 50, FLOOR_DDIM50_S, root, log));
        rows.add(sample(unet, Sampler.DPMPP_2M, 20, FLOOR_DPM20_S, root, log));
        return rows;
    }

    /** The throughput row and the RSS growth over the timed steps. */
    private static List<BenchRow> train(String work, UNetConfig model, DataSpace space, int c, int size, int warmup, int timed,
            double floor, NDManager root, PrintWriter log) throws IOException {
        int count = 4 * BATCH;
        SplittableRandom rng = new SplittableRandom(1);
        float[] x = new float[count * c * size * size];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian() * 0.5f;
        }
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % CLASSES;
        }
        DiffusionData data = DiffusionData.ofArrays(space, x, labels, c, size, size, CLASSES, "synthetic");
        DiffusionTrainConfig defaults = DiffusionTrainConfig.defaults();
        DiffusionTrainConfig cfg = new DiffusionTrainConfig(model, BetaSchedule.LINEAR, 1000, 0.0, 0.0, Prediction.EPS,
                LossWeighting.UNIFORM, warmup + timed, BATCH, 1e-4, 0, LrSchedule.Decay.CONSTANT, 0.0, 0.0, 1.0, 0.9999,
                true, 0.1, 0, 1000, 0, 0, 0, defaults.sampleSteps(), 2.0);
        Path scratch = Files.createTempDirectory("ldm4j-bench");
        try (NDManager run = root.newSubManager()) {
            DiffusionTrainer trainer = DiffusionTrainer.start(cfg, data, scratch, run);
            for (int k = 0; k < warmup; k++) {
                step(trainer, run, k);
            }
            long rssBefore = ProcessMemory.rssBytes();
            long t0 = System.nanoTime();
            for (int k = warmup; k < warmup + timed; k++) {
                step(trainer, run, k);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double growthMib = rssBefore < 0 ? Double.NaN : (ProcessMemory.rssBytes() - rssBefore) / (1024.0 * 1024.0);
            double imgPerS = BATCH * timed / seconds;
            log.printf(Locale.ROOT, "%s: %.1f img/s over %d steps%n", work, imgPerS, timed);
            log.flush();
            String shape = shapeOf(model, c, size);
            return List.of(BenchRow.rate(STAGE, work, shape, imgPerS, "img/s", floor),
                    BenchRow.cost(STAGE, "  RSS growth over " + timed + " steps", shape,
                            growthMib, "MiB", Double.NaN));
        } finally {
            AtomicFiles.deleteRecursively(scratch);
        }
    }

    private static void step(DiffusionTrainer trainer, NDManager run, long k) {
        try (NDManager scope = run.newSubManager()) {
            trainer.step(k, scope);
        }
    }

    private static BenchRow sample(UNet unet, Sampler sampler, int steps, double floor, NDManager root, PrintWriter log) {
        GenerateConfig g = new GenerateConfig(BATCH, BATCH, sampler, steps, 0.0, TimestepSpacing.LEADING, null, 2.0, 0);
        long t0 = System.nanoTime();
        Generator.generate(unet, ldm4j.diffusion.objective.Prediction.EPS, ldm4j.diffusion.schedule.NoiseSchedule.of(
                ldm4j.diffusion.schedule.BetaSchedule.LINEAR), new long[] {4, 8, 8}, g, root, done -> {});
        double seconds = (System.nanoTime() - t0) / 1e9;
        String work = "sampling " + sampler.id() + "-" + steps + ", guidance 2";
        log.printf(Locale.ROOT, "%s: %.2f s for %d images (%.1f img/s)%n", work, seconds, BATCH, BATCH / seconds);
        log.flush();
        return BenchRow.cost(STAGE, work, "4×8×8 latents, batch 64 (128 with guidance)", seconds, "s", floor);
    }

    private static String shapeOf(UNetConfig m, int c, int size) {
        return String.format(Locale.ROOT, "mc %d, mult %s, %d res, attn %s, %d×%d×%d, batch %d", m.modelChannels(),
                m.channelMult(), m.numResBlocks(), m.attentionResolutions(), c, size, size, BATCH);
    }
}
