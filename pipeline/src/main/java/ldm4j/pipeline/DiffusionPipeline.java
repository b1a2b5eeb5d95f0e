package ldm4j.pipeline;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.function.LongConsumer;
import ldm4j.core.data.UInt8Images;
import ldm4j.diffusion.generate.GenerateConfig;

/**
 * Noise → images with a trained diffusion model: {@link LatentDiffusionPipeline} (through an
 * autoencoder's decoder, f &gt; 1) or {@link PixelDiffusionPipeline} (the UNet draws pixels, f = 1).
 * Close it to free the weights.
 */
public interface DiffusionPipeline extends AutoCloseable {
    /**
     * Draws {@code cfg.count()} images.
     *
     * @param cfg sampler, steps, seed, class and guidance
     * @param onSamples called with the number of samples drawn so far, from 0 to N
     */
    UInt8Images generate(GenerateConfig cfg, LongConsumer onSamples);

    @Override
    void close();

    /**
     * Loads a trained model: a latent one paired with {@code autoencoder}, or a pixel-space one when
     * {@code autoencoder} is null.
     *
     * @param autoencoder a train-ae run or checkpoint directory, or null for pixel-space diffusion
     * @param diffusion a train-ldm run or checkpoint directory
     */
    static DiffusionPipeline load(Path autoencoder, Path diffusion, Device device) {
        return autoencoder != null ? LatentDiffusionPipeline.load(autoencoder, diffusion, device)
                : PixelDiffusionPipeline.load(diffusion, device);
    }

    /** Samples drawn after {@code steps} sampler steps over all batches (each batch takes cfg.steps()). */
    static long samplesDrawn(long steps, GenerateConfig cfg) {
        int perBatch = Math.max(1, cfg.steps());
        long fullBatches = steps / perBatch;
        long done = Math.min(cfg.count(), fullBatches * cfg.batchSize());
        long inBatch = Math.min(cfg.batchSize(), cfg.count() - done);
        return done + inBatch * (steps % perBatch) / perBatch;
    }
}
