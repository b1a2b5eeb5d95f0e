package ldm4j.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;
import java.util.function.IntConsumer;
import ldm4j.autoencoder.AutoencoderInference;
import ldm4j.autoencoder.AutoencoderKL;
import ldm4j.core.io.ImageIo;
import ldm4j.diffusion.train.LatentDecoder;

/**
 * The autoencoder's decoder ({@code post_quant_conv} → decoder) in inference mode: no dropout,
 * a parameter store that does not collect gradients, a few latents per call ({@link
 * AutoencoderInference}). It is the {@link LatentDecoder} hook a latent diffusion training run
 * uses for its sample grids, and the last two stages of both pipelines.
 */
public final class AutoencoderLatentDecoder implements LatentDecoder {
    private final AutoencoderKL model;

    /** Decodes with {@code model}'s current weights (load the checkpoint's EMA weights first). */
    public AutoencoderLatentDecoder(AutoencoderKL model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    /**
     * @param latents (N, z, h, w), already divided by the scale factor
     * @return (N, C, h·f, w·f) images in [-1, 1], on the latents' manager
     */
    @Override
    public NDArray decode(NDArray latents) {
        return AutoencoderInference.decode(model, latents);
    }

    /**
     * Decodes {@code count} latents in batches, each in its own sub-manager of {@code root}, into
     * uint8 pixels (N·C·H·W bytes).
     *
     * @param latents N·z·h·w floats, already divided by the scale factor
     * @param latentShape {z, h, w} of one latent, or {d} for a dense autoencoder
     * @param batchSize latents per batch (the decoder runs {@link AutoencoderInference}'s slices of it)
     * @param onBatch called with the number of images decoded so far, after each batch
     */
    public byte[] decodeToUint8(float[] latents, long[] latentShape, int count, int batchSize, NDManager root,
            IntConsumer onBatch) {
        int elements = Math.toIntExact(new Shape(latentShape).size());
        if (count <= 0 || batchSize <= 0 || latents.length != (long) count * elements) {
            throw new IllegalArgumentException(latents.length + " floats are not " + count + " latents of "
                    + new Shape(latentShape) + " in batches of " + batchSize + " (both must be > 0)");
        }
        byte[] pixels = null;
        int imageSize = 0;
        for (int start = 0; start < count; start += batchSize) {
            int n = Math.min(batchSize, count - start);
            float[] chunk = new float[n * elements];
            System.arraycopy(latents, start * elements, chunk, 0, chunk.length);
            try (NDManager scope = root.newSubManager()) {
                NDArray z = scope.create(chunk, new Shape(n).addAll(new Shape(latentShape)));
                byte[] images = ImageIo.toUint8(decode(z).toFloatArray());
                if (pixels == null) { // the image size is known once the decoder has run
                    imageSize = images.length / n;
                    pixels = new byte[Math.multiplyExact(count, imageSize)];
                }
                System.arraycopy(images, 0, pixels, start * imageSize, images.length);
            }
            onBatch.accept(start + n);
        }
        return pixels;
    }
}
