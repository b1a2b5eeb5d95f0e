package ldm4j.pipeline;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.IntConsumer;
import ldm4j.autoencoder.AutoencoderKL;
import ldm4j.autoencoder.train.AutoencoderCheckpoint;
import ldm4j.autoencoder.train.AutoencoderTrainState;
import ldm4j.core.InputException;
import ldm4j.core.data.UInt8Images;
import ldm4j.core.io.Checkpoint;
import ldm4j.core.io.Checkpoints;
import ldm4j.core.io.Json;
import ldm4j.diffusion.sampler.GaussianNoise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classic VAE generator (Kingma &amp; Welling 2014): z ~ N(0, τ²I) at the autoencoder's latent
 * shape → the decoder ({@code post_quant_conv} → decoder for a conv latent, {@code latent_proj} →
 * decoder for a dense one) → uint8. It is the baseline that latent diffusion is compared against. It
 * runs on any autoencoder but is only meaningful for one trained at β = 1, whose KL term pulls q(z|x)
 * toward that prior; a low-β compressor's latents are far from N(0, I).
 *
 * <p>The temperature τ scales the prior's standard deviation (default 1, the model's own prior);
 * practitioners often sample at τ &lt; 1 for cleaner, less varied images, and every figure should
 * state its τ. τ = 0 decodes z = 0 for every sample.
 *
 * <p>The noise is the unscaled latent (no scale factor: the prior is on the encoder's own z). Batch
 * b is drawn with seed + b, so the same seed and batch size give the same images. Close it to free
 * the weights.
 */
public final class PixelVaeSampler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PixelVaeSampler.class);

    private final NDManager root;
    private final AutoencoderKL model;
    private final AutoencoderLatentDecoder decoder;
    private final long[] latentShape;
    private final long[] imageShape;

    private PixelVaeSampler(NDManager root, AutoencoderKL model, int height, int width) {
        this.root = root;
        this.model = model;
        this.decoder = new AutoencoderLatentDecoder(model);
        this.latentShape = model.config().latentShape(height, width).getShape();
        this.imageShape = new long[] {model.config().inChannels(), height, width};
    }

    /**
     * A sampler over an autoencoder already in memory (the benchmark uses it with an untrained one).
     *
     * @param root the manager holding the weights; the sampler closes it
     * @throws IllegalArgumentException for a size that is not a positive multiple of the
     *     downsampling factor
     */
    public static PixelVaeSampler of(NDManager root, AutoencoderKL model, int height, int width) {
        return new PixelVaeSampler(root, model, height, width);
    }

    /**
     * Loads an autoencoder to sample images of {@code height} × {@code width}.
     *
     * @param autoencoderDir a train-ae run or checkpoint directory
     * @throws InputException for a missing or corrupt checkpoint, or a size that is not a positive
     *     multiple of the downsampling factor
     */
    public static PixelVaeSampler load(Path autoencoderDir, int height, int width, Device device) {
        Path dir = RunLayout.locateAutoencoder(autoencoderDir);
        NDManager root = NDManager.newBaseManager(device);
        try {
            AutoencoderCheckpoint ae = AutoencoderCheckpoint.load(dir, root);
            if (ae.config().beta() != 1) {
                LOG.info("{} was trained with β = {}; its prior N(0, I) matches its latents only at β = 1, so "
                        + "expect poor samples", dir, ae.config().beta());
            }
            try {
                return new PixelVaeSampler(root, ae.model(), height, width);
            } catch (IllegalArgumentException e) {
                throw new InputException(dir + ": " + e.getMessage(), e);
            }
        } catch (RuntimeException e) {
            root.close();
            throw e;
        }
    }

    /**
     * The dataset name or spec an autoencoder was trained on, as its checkpoint records it (for the
     * image size to sample at), or null when the checkpoint does not say.
     */
    public static String trainingData(Path autoencoderDir) {
        Path dir = RunLayout.locateAutoencoder(autoencoderDir);
        Checkpoint info = Checkpoints.readInfo(dir, AutoencoderCheckpoint.KIND);
        if (info.state() == null) {
            return null;
        }
        return Json.convert(info.state(), AutoencoderTrainState.class, dir.resolve(Checkpoints.SIDECAR)).dataset();
    }

    /**
     * Draws {@code count} images from the prior.
     *
     * @param batchSize latents per batch (any count fits: the last batch is short)
     * @param seed batch b's noise comes from seed + b
     * @param onSamples called with the number of images decoded so far
     * @return N images of {@link #imageShape()}, unlabelled
     */
    public UInt8Images sample(int count, int batchSize, long seed, IntConsumer onSamples) {
        return sample(count, batchSize, seed, 1.0, onSamples);
    }

    /**
     * Draws {@code count} images from the prior at temperature {@code temperature}: z ~ N(0, τ²I), the
     * same noise as at τ = 1 scaled by τ.
     *
     * @param temperature τ ≥ 0; 0 decodes z = 0 for every sample
     * @throws IllegalArgumentException for a negative or non-finite τ
     */
    public UInt8Images sample(int count, int batchSize, long seed, double temperature, IntConsumer onSamples) {
        if (count <= 0 || batchSize <= 0) {
            throw new IllegalArgumentException("count and batch size must be > 0, got " + count + ", " + batchSize);
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and >= 0, got " + temperature);
        }
        // 1. z ~ N(0, τ²I), drawn in Java from the seed so it is the same on every device
        int elements = Math.toIntExact(new Shape(latentShape).size());
        float[] z = new float[Math.multiplyExact(count, elements)];
        for (int start = 0, b = 0; start < count && temperature > 0; start += batchSize, b++) {
            int n = Math.min(batchSize, count - start);
            try (NDManager scope = root.newSubManager()) {
                float[] noise = new GaussianNoise(seed + b).next(scope,
                        new Shape(n).addAll(new Shape(latentShape))).toFloatArray();
                for (int i = 0; i < noise.length; i++) {
                    z[start * elements + i] = (float) (noise[i] * temperature);
                }
            }
        }
        // 2 and 3. decode batch by batch into uint8
        byte[] pixels = decoder.decodeToUint8(z, latentShape, count, batchSize, root, onSamples);
        return new UInt8Images(count, (int) imageShape[0], (int) imageShape[1], (int) imageShape[2], pixels, null);
    }

    /** {C, H, W} of the images. */
    public long[] imageShape() {
        return imageShape.clone();
    }

    /** {z, h, w} of the prior's latents, or {d} for a dense autoencoder. */
    public long[] latentShape() {
        return Arrays.copyOf(latentShape, latentShape.length);
    }

    /** The autoencoder whose decoder draws the images. */
    public AutoencoderKL model() {
        return model;
    }

    @Override
    public void close() {
        root.close();
    }
}
