package ldm4j.pipeline.stage;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Path;
import ldm4j.core.data.UInt8Images;
import ldm4j.core.progress.Progress;
import ldm4j.diffusion.generate.GenerateConfig;
import ldm4j.pipeline.DiffusionPipeline;
import ldm4j.pipeline.LatentDiffusionPipeline;
import ldm4j.pipeline.PixelDiffusionPipeline;
import ldm4j.pipeline.PixelVaeSampler;
import ldm4j.pipeline.SampleFiles;

/**
 * Draws images from a trained model and writes them ({@code grid.png}, {@code samples.npy}, and
 * {@code labels.npy} when classes were asked for): latent diffusion, pixel-space diffusion, or a
 * VAE's N(0, I) prior.
 */
public final class SampleStage {
    private SampleStage() {}

    /** The model to draw from, and how. */
    public sealed interface Model permits Latent, Pixel, Run, VaePrior {}

    /**
     * Latent diffusion: a UNet trained on an autoencoder's latents, decoded by that autoencoder.
     *
     * @param autoencoder a train-ae run or checkpoint directory
     * @param diffusion a train-ldm run or checkpoint directory of a latent-space model
     */
    public record Latent(Path autoencoder, Path diffusion, GenerateConfig generate) implements Model {}

    /** Pixel-space diffusion (f = 1): the UNet draws the pixels. */
    public record Pixel(Path diffusion, GenerateConfig generate) implements Model {}

    /** The latent diffusion pair of an {@code ldm4j run} directory. */
    public record Run(Path run, GenerateConfig generate) implements Model {}

    /**
     * A VAE sampled from its prior: z ~ N(0, τ²I) → decoder.
     *
     * @param height the images' height (the latents are height/f)
     * @param seed batch b's noise comes from seed + b
     * @param temperature τ ≥ 0: 1 is the model's own prior, 0 decodes z = 0 for every sample
     */
    public record VaePrior(Path autoencoder, int height, int width, int count, int batchSize, long seed,
            double temperature) implements Model {
        public VaePrior {
            if (count <= 0 || batchSize <= 0) {
                throw new IllegalArgumentException("count and batch size must be at least 1, got " + count + " and "
                        + batchSize);
            }
            if (!(temperature >= 0) || Double.isInfinite(temperature)) {
                throw new IllegalArgumentException("temperature must be finite and >= 0, got " + temperature);
            }
        }

        /** The model's own prior, τ = 1. */
        public VaePrior(Path autoencoder, int height, int width, int count, int batchSize, long seed) {
            this(autoencoder, height, width, count, batchSize, seed, 1.0);
        }
    }

    /**
     * Samples written.
     *
     * @param dir where they went
     * @param images the samples
     */
    public record Output(Path dir, UInt8Images images) {}

    /**
     * Draws from {@code model} with a progress bar named {@code label}, and writes the samples into
     * {@code out}.
     *
     * @param pngDir where to write one PNG per image as well, or null
     * @param gridMax at most this many images in {@code grid.png}
     */
    public static Output run(Model model, String label, Path out, Path pngDir, int gridMax, Device device)
            throws IOException {
        UInt8Images images = draw(model, label, device);
        SampleFiles.write(out, images, pngDir, gridMax);
        return new Output(out, images);
    }

    /** Draws from {@code model} with a progress bar named {@code label}; the weights are freed before it returns. */
    public static UInt8Images draw(Model model, String label, Device device) {
        if (model instanceof VaePrior p) {
            try (PixelVaeSampler prior = PixelVaeSampler.load(p.autoencoder(), p.height(), p.width(), device);
                    Progress bar = Progress.start(label, p.count())) {
                return prior.sample(p.count(), p.batchSize(), p.seed(), p.temperature(), bar::stepTo);
            }
        }
        GenerateConfig cfg;
        DiffusionPipeline pipeline;
        if (model instanceof Latent l) {
            cfg = l.generate();
            pipeline = LatentDiffusionPipeline.load(l.autoencoder(), l.diffusion(), device);
        } else if (model instanceof Run r) {
            cfg = r.generate();
            pipeline = LatentDiffusionPipeline.forRun(r.run(), device);
        } else {
            Pixel p = (Pixel) model;
            cfg = p.generate();
            pipeline = PixelDiffusionPipeline.load(p.diffusion(), device);
        }
        try (pipeline; Progress bar = Progress.start(label, cfg.count())) {
            UInt8Images images = pipeline.generate(cfg, bar::stepTo);
            bar.stepTo(cfg.count());
            return images;
        }
    }
}
