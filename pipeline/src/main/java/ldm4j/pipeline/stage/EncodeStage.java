package ldm4j.pipeline.stage;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import ldm4j.autoencoder.latent.LatentEncoder;
import ldm4j.autoencoder.latent.LatentMode;
import ldm4j.autoencoder.train.AutoencoderCheckpoint;
import ldm4j.core.data.Dataset;
import ldm4j.core.data.LatentSet;

/**
 * Stage 1 → 2: encodes both splits of a dataset with a trained autoencoder into a latent folder
 * (unscaled latents, labels and the checkpoint's scale factor), so stage 2 never runs the encoder.
 */
public final class EncodeStage {
    private EncodeStage() {}

    /**
     * What is encoded, how and where to.
     *
     * @param autoencoder the autoencoder's checkpoint folder
     * @param data the opened dataset
     * @param dataSpec its name or spec, recorded in the latents
     * @param mode posterior mean or one seeded sample per image
     * @param batchSize images per forward pass
     * @param seed the posterior samples' seed
     * @param out the latent folder to write
     */
    public record Input(Path autoencoder, Dataset data, String dataSpec, LatentMode mode, int batchSize, long seed,
            Path out) {
        public Input {
            if (batchSize <= 0) {
                throw new IllegalArgumentException("batch size must be > 0, got " + batchSize);
            }
        }
    }

    /**
     * The latents written.
     *
     * @param latents what was written to {@code Input.out}
     * @param seconds the wall time of the encoding, once the checkpoint is loaded
     */
    public record Output(LatentSet latents, double seconds) {
        /** Images encoded per second. */
        public double imagesPerSecond() {
            LatentSet.Header h = latents.header();
            return (h.trainCount() + h.testCount()) / seconds;
        }
    }

    /**
     * Refuses, before any data is opened, an autoencoder whose latent is a vector (a dense VAE):
     * the UNet takes a spatial map.
     *
     * @throws ldm4j.core.InputException one line naming the checkpoint
     */
    public static void requireEncodable(Path autoencoder) {
        AutoencoderCheckpoint.requireSpatialLatent(AutoencoderCheckpoint.readConfig(autoencoder).model(), autoencoder);
    }

    /** Encodes {@code in} on {@code device}; the weights are freed before it returns. */
    public static Output run(Input in, Device device) throws IOException {
        try (NDManager root = NDManager.newBaseManager(device)) {
            AutoencoderCheckpoint ckpt = AutoencoderCheckpoint.load(in.autoencoder(), root);
            long start = System.nanoTime();
            LatentSet set = LatentEncoder.encodeTo(in.out(), ckpt, in.data(), in.dataSpec(), in.mode(),
                    in.batchSize(), in.seed(), root);
            return new Output(set, (System.nanoTime() - start) / 1e9);
        }
    }
}
