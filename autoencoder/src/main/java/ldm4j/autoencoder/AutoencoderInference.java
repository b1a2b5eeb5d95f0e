package ldm4j.autoencoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ldm4j.core.nn.Chunked;

/**
 * {@link AutoencoderKL#encode} and {@link AutoencoderKL#decode} in inference mode (no dropout, no
 * gradients), run {@link Chunked#ROWS} images at a time, so a pass over a large batch (evaluation,
 * the latent scale factor, encoding a dataset, decoding samples) holds the activations of one
 * slice rather than of the whole batch. The results equal one call on the whole batch.
 */
public final class AutoencoderInference {
    private AutoencoderInference() {}

    /** The posterior of images {@code x} (N, C, H, W), on {@code x}'s manager. */
    public static DiagonalGaussian encode(AutoencoderKL model, NDArray x) {
        return encode(model, x, Chunked.ROWS);
    }

    /** {@link #encode(AutoencoderKL, NDArray)} with {@code rows} images per encoder call. */
    public static DiagonalGaussian encode(AutoencoderKL model, NDArray x, int rows) {
        NDList moments = Chunked.map(x, rows, slice -> {
            DiagonalGaussian q = model.encode(new ParameterStore(slice.getManager(), false), slice, false);
            return new NDList(q.mean(), q.logvar());
        });
        // The log-variance is clamped already; clamping it again changes nothing.
        return new DiagonalGaussian(moments.get(0), moments.get(1));
    }

    /** Images (N, C, H, W) in [-1, 1] decoded from latents {@code z} (N, z, h, w), on {@code z}'s manager. */
    public static NDArray decode(AutoencoderKL model, NDArray z) {
        return decode(model, z, Chunked.ROWS);
    }

    /** {@link #decode(AutoencoderKL, NDArray)} with {@code rows} latents per decoder call. */
    public static NDArray decode(AutoencoderKL model, NDArray z, int rows) {
        return Chunked.apply(z, rows, slice -> model.decode(new ParameterStore(slice.getManager(), false), slice, false));
    }
}
