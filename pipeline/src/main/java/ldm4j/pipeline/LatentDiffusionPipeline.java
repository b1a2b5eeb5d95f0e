package ldm4j.pipeline;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.LongConsumer;
import ldm4j.autoencoder.AutoencoderConfig;
import ldm4j.autoencoder.AutoencoderKL;
import ldm4j.autoencoder.train.AutoencoderCheckpoint;
import ldm4j.core.InputException;
import ldm4j.core.data.UInt8Images;
import ldm4j.core.io.InputFiles;
import ldm4j.diffusion.generate.GenerateConfig;
import ldm4j.diffusion.generate.Generator;
import ldm4j.diffusion.objective.Prediction;
import ldm4j.diffusion.schedule.NoiseSchedule;
import ldm4j.diffusion.train.DiffusionCheckpoint;
import ldm4j.diffusion.unet.UNet;

/**
 * Latent diffusion from noise to pixels (Rombach et al. 2022), written out in four stages as in
 * diffusers' pipelines:
 *
 * <ol>
 *   <li>sample latents z_0 with the UNet (EMA weights) and the chosen sampler, from z_T ~ N(0, I);
 *   <li>divide by the autoencoder's scale factor (LDM §4.3.2: the UNet works on unit-variance latents);
 *   <li>decode with the autoencoder's decoder, batch by batch, each batch in its own NDManager scope;
 *   <li>convert [-1, 1] to uint8.
 * </ol>
 *
 * <p>Only the latents of all N samples are held at once (the images are built batch by batch), so
 * any N fits. Loading checks that the two checkpoints belong together. Close it to free the weights.
 */
public final class LatentDiffusionPipeline implements DiffusionPipeline {
    private final NDManager root;
    private final UNet unet;
    private final Prediction prediction;
    private final NoiseSchedule schedule;
    private final double scaleFactor;
    private final AutoencoderLatentDecoder decoder;
    private final long[] latentShape;
    private final long[] imageShape;

    private LatentDiffusionPipeline(NDManager root, AutoencoderKL autoencoder, double scaleFactor, UNet unet,
            Prediction prediction, NoiseSchedule schedule, long[] latentShape) {
        this.root = root;
        this.unet = unet;
        this.prediction = prediction;
        this.schedule = schedule;
        this.scaleFactor = scaleFactor;
        this.decoder = new AutoencoderLatentDecoder(autoencoder);
        this.latentShape = latentShape.clone();
        AutoencoderConfig ae = autoencoder.config();
        int f = ae.downsamplingFactor();
        this.imageShape = new long[] {ae.inChannels(), latentShape[1] * f, latentShape[2] * f};
    }

    /**
     * A pipeline over models already in memory (the benchmark uses it with untrained models).
     *
     * @param root the manager holding both models' weights; the pipeline closes it
     * @param autoencoder the decoder's autoencoder
     * @param scaleFactor the autoencoder's latent scale factor
     * @param unet the latent denoiser, with {@code latentShape[0]} input channels
     * @param prediction what the UNet predicts
     * @param schedule the noise schedule it was trained with
     * @param latentShape {z, h, w}
     */
    public static LatentDiffusionPipeline of(NDManager root, AutoencoderKL autoencoder, double scaleFactor,
            UNet unet, Prediction prediction, NoiseSchedule schedule, long[] latentShape) {
        if (latentShape.length != 3 || latentShape[0] != autoencoder.config().zChannels()
                || unet.config().inChannels() != latentShape[0]) {
            throw new IllegalArgumentException("latent shape " + Arrays.toString(latentShape) + " does not fit an "
                    + autoencoder.config().zChannels() + "-channel autoencoder and a "
                    + unet.config().inChannels() + "-channel UNet");
        }
        return new LatentDiffusionPipeline(root, autoencoder, scaleFactor, unet, prediction, schedule, latentShape);
    }

    /**
     * Loads an end-to-end run directory: {@code run/autoencoder/checkpoint} and {@code run/diffusion}
     * ({@link RunLayout}).
     */
    public static LatentDiffusionPipeline forRun(Path run, Device device) {
        InputFiles.requireDirectory(run, "an `ldm4j run` directory (autoencoder/ and diffusion/ inside)");
        RunLayout layout = new RunLayout(run);
        return load(layout.autoencoderCheckpoint(), layout.diffusion(), device);
    }

    /**
     * Loads and pairs an autoencoder and a latent diffusion model.
     *
     * @param autoencoderDir a train-ae run or checkpoint directory
     * @param diffusionDir a train-ldm run or checkpoint directory of a latent-space model
     * @param device where both run
     * @throws InputException for a missing or corrupt checkpoint, a pixel-space diffusion model, or a
     *     pair that does not belong together ({@link LatentPairing#requireMatch})
     */
    public static LatentDiffusionPipeline load(Path autoencoderDir, Path diffusionDir, Device device) {
        DiffusionCheckpoint diffusion = DiffusionCheckpoint.read(diffusionDir);
        Path aeDir = RunLayout.locateAutoencoder(autoencoderDir);
        NDManager root = NDManager.newBaseManager(device);
        try {
            AutoencoderCheckpoint autoencoder = AutoencoderCheckpoint.load(aeDir, root);
            LatentPairing.requireMatch(autoencoder, diffusion);
            return new LatentDiffusionPipeline(root, autoencoder.model(), autoencoder.scaleFactor(),
                    diffusion.loadEmaUNet(root), diffusion.config().predictionType(), diffusion.config().noiseSchedule(),
                    diffusion.state().shape());
        } catch (RuntimeException e) {
            root.close();
            throw e;
        }
    }

    /**
     * Draws {@code cfg.count()} images.
     *
     * @param cfg sampler, steps, seed, class and guidance; {@code batchSize} bounds both the sampler
     *     and the decoder batches
     * @param onSamples called with the number of samples drawn so far (fractional batches rounded
     *     down), from 0 to N
     * @return N images of {@link #imageShape()}; labels are the requested classes, or -1 each when
     *     the model is unconditional
     */
    @Override
    public UInt8Images generate(GenerateConfig cfg, LongConsumer onSamples) {
        // 1. latents from noise (scaled latent space), batch b seeded with seed + b
        float[] latents = Generator.generate(unet, prediction, schedule, latentShape, cfg, root,
                steps -> onSamples.accept(DiffusionPipeline.samplesDrawn(steps, cfg)));
        // 2. back to the autoencoder's latent scale
        float inverseScale = (float) (1.0 / scaleFactor);
        for (int i = 0; i < latents.length; i++) {
            latents[i] *= inverseScale;
        }
        // 3 and 4. decode batch by batch into uint8
        byte[] pixels = decoder.decodeToUint8(latents, latentShape, cfg.count(), cfg.batchSize(), root, done -> { });
        return new UInt8Images(cfg.count(), (int) imageShape[0], (int) imageShape[1], (int) imageShape[2], pixels,
                labels(cfg));
    }

    /**
     * The class of each of the {@code cfg.count()} samples as {@link Generator#labels} assigns them
     * ({@code cfg.classLabel()} for all, else cycling 0, 1, …); -1 each for an unconditional model.
     */
    public int[] labels(GenerateConfig cfg) {
        int[] labels = Generator.labels(unet.config(), cfg);
        if (labels == null) {
            labels = new int[cfg.count()];
            Arrays.fill(labels, -1);
        }
        return labels;
    }

    /** {C, H, W} of the images: the autoencoder's channels at f times the latents' size. */
    public long[] imageShape() {
        return imageShape.clone();
    }

    /** {z, h, w} of the latents the UNet samples. */
    public long[] latentShape() {
        return latentShape.clone();
    }

    /** True when the UNet takes class labels (so {@link #labels} are real classes). */
    public boolean classConditional() {
        return unet.config().classConditional();
    }

    @Override
    public void close() {
        root.close();
    }
}
