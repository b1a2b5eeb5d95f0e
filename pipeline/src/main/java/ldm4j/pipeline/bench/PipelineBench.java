package ldm4j.pipeline.bench;

import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import ldm4j.autoencoder.AutoencoderConfig;
import ldm4j.autoencoder.AutoencoderKL;
import ldm4j.autoencoder.train.AutoencoderTrainConfig;
import ldm4j.core.bench.BenchRow;
import ldm4j.core.data.UInt8Images;
import ldm4j.core.engine.EngineSetup;
import ldm4j.diffusion.generate.GenerateConfig;
import ldm4j.diffusion.objective.Prediction;
import ldm4j.diffusion.sampler.Sampler;
import ldm4j.diffusion.sampler.TimestepSpacing;
import ldm4j.diffusion.schedule.BetaSchedule;
import ldm4j.diffusion.schedule.NoiseSchedule;
import ldm4j.diffusion.unet.UNet;
import ldm4j.diffusion.unet.UNetConfig;
import ldm4j.pipeline.LatentDiffusionPipeline;
import ldm4j.pipeline.PixelVaeSampler;

/**
 * The end-to-end figures of {@code ldm4j bench}: images per second from noise to uint8 pixels, with
 * the demo's shapes (the quick preset's autoencoder, f = 4, and the speed-floor UNet on its 4×8×8
 * latents, 10 classes), on untrained weights (speed does not depend on them).
 *
 * <ul>
 *   <li>latent diffusion, the whole {@link LatentDiffusionPipeline}: sample with guidance 2, unscale,
 *       decode, convert; DPM-Solver++(2M) 20 steps (the demo's sampler) and DDIM 50;</li>
 *   <li>the pixel-VAE sampler ({@link PixelVaeSampler}): N(0, I) latents through the decoder.</li>
 * </ul>
 *
 * Each figure draws {@code images} samples in batches of 64 after one untimed warm-up batch.
 */
public final class PipelineBench {
    /** The module name in the bench table. */
    public static final String STAGE = "pipeline";

    private static final int BATCH = 64;
    private static final int CLASSES = 10;
    private static final int IMAGE_SIZE = 32;
    private static final double GUIDANCE = 2.0;

    private PipelineBench() {}

    /**
     * Runs the end-to-end benchmark.
     *
     * @param quick 64 images per figure instead of 256
     * @param root the manager to run on (its device is benchmarked)
     * @param log progress lines as the rows are measured
     * @return one row per figure
     */
    public static List<BenchRow> run(boolean quick, NDManager root, PrintWriter log) {
        int images = quick ? BATCH : 4 * BATCH;
        AutoencoderConfig aeConfig = AutoencoderTrainConfig.defaults(1).model();
        UNetConfig unetConfig = UNetConfig.speedFloor(aeConfig.zChannels(), CLASSES);
        long[] latentShape = aeConfig.latentShape(IMAGE_SIZE, IMAGE_SIZE).getShape();
        String shape = String.format(Locale.ROOT, "AE ch %d ch_mult %s + UNet mc %d · %d×%d×%d → 1×%d×%d",
                aeConfig.ch(), aeConfig.chMult(), unetConfig.modelChannels(), latentShape[0], latentShape[1],
                latentShape[2], IMAGE_SIZE, IMAGE_SIZE);
        List<BenchRow> rows = new ArrayList<>();
        EngineSetup.seed(0);
        // Each model lives on a sub-manager that the pipeline or sampler closes (the caller's root
        // closes it anyway should construction fail).
        NDManager pipelineWeights = root.newSubManager();
        try (LatentDiffusionPipeline pipeline = LatentDiffusionPipeline.of(pipelineWeights,
                newAutoencoder(aeConfig, pipelineWeights), 1.0, newUNet(unetConfig, pipelineWeights), Prediction.EPS,
                NoiseSchedule.of(BetaSchedule.LINEAR), latentShape)) {
            for (Map.Entry<Sampler, Integer> s : List.of(Map.entry(Sampler.DPMPP_2M, 20), Map.entry(Sampler.DDIM, 50))) {
                Sampler sampler = s.getKey();
                int steps = s.getValue();
                Function<Integer, UInt8Images> draw = n -> pipeline.generate(new GenerateConfig(n, BATCH, sampler,
                        steps, 0.0, TimestepSpacing.LEADING, null, GUIDANCE, 0), done -> { });
                String work = String.format(Locale.ROOT, "noise → image, %s-%d, guidance %.0f", sampler.id(), steps,
                        GUIDANCE);
                rows.add(BenchRow.rate(STAGE, work, shape + ", batch " + BATCH, time(draw, images, work, log),
                        "img/s", Double.NaN));
            }
        }
        NDManager priorWeights = root.newSubManager();
        try (PixelVaeSampler prior = PixelVaeSampler.of(priorWeights, newAutoencoder(aeConfig, priorWeights),
                IMAGE_SIZE, IMAGE_SIZE)) {
            String work = "pixel-VAE sampler (prior → decoder)";
            rows.add(BenchRow.rate(STAGE, work, "AE ch " + aeConfig.ch() + " · " + latentShape[0] + "×"
                    + latentShape[1] + "×" + latentShape[2] + " → 1×32×32, batch " + BATCH,
                    time(n -> prior.sample(n, BATCH, 0, done -> { }), images, work, log), "img/s", Double.NaN));
        }
        return rows;
    }

    /** Images per second of {@code draw(images)}, after one untimed batch. */
    private static double time(Function<Integer, UInt8Images> draw, int images, String work, PrintWriter log) {
        draw.apply(BATCH);
        long t0 = System.nanoTime();
        UInt8Images out = draw.apply(images);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (out.count() != images) {
            throw new IllegalStateException(work + " returned " + out.count() + " images, expected " + images);
        }
        double rate = images / seconds;
        log.printf(Locale.ROOT, "%s: %d images in %.2f s (%.1f img/s)%n", work, images, seconds, rate);
        log.flush();
        return rate;
    }

    private static AutoencoderKL newAutoencoder(AutoencoderConfig config, NDManager root) {
        AutoencoderKL model = new AutoencoderKL(config);
        model.initialize(root);
        return model;
    }

    private static UNet newUNet(UNetConfig config, NDManager root) {
        UNet unet = new UNet(config);
        unet.initialize(root);
        return unet;
    }
}
