package ldm4j.autoencoder.loss;

import ai.djl.ndarray.NDArray;
import java.util.Locale;
import ldm4j.core.io.ConfigEnum;
import ldm4j.core.nn.Scalars;

/**
 * The reconstruction term of the autoencoder loss, per image, summed over all pixels and
 * channels: {@code (N, C, H, W) × 2 → (N,)}.
 */
public enum ReconstructionLoss implements ConfigEnum {
    /** Σ |x − x̂|: LDM's pixel loss (β = 1e-6 with L1 is the LDM setting). */
    L1,
    /** Σ (x − x̂)². */
    L2,
    /**
     * Gaussian negative log-likelihood with one learned scalar log-variance s, in nats:
     * Σ ½ [(x − x̂)² / exp(s) + s + log 2π].
     *
     * <p>This is LDM's {@code rec / exp(logvar) + logvar} with the ½ and the constant of an actual
     * Gaussian density. The ½ matters: with it, β = 1 is the textbook ELBO (the pixel-space VAE
     * baseline); without it the KL would in effect carry β/2. (LDM itself uses L1 + LPIPS as
     * {@code rec}, which makes its form a Laplace likelihood up to a constant.) s is a trainable
     * parameter owned by {@link AutoencoderLoss}.
     */
    NLL;

    private static final double LOG_2PI = Math.log(2 * Math.PI);

    /** The name used in configs and on the command line: {@code l1}, {@code l2} or {@code nll}. */
    @Override
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this loss has the learned log-variance s. */
    public boolean hasLogvar() {
        return this == NLL;
    }

    /**
     * Per-image reconstruction term.
     *
     * @param x targets (N, C, H, W); the results live in its manager
     * @param reconstruction predictions of the same shape
     * @param logvar the log-variance s, shape (1) or scalar, for {@link #NLL}; ignored (may be
     *     null) otherwise. Pass an array in the step's manager (see {@link AutoencoderLoss}).
     * @return (N,)
     */
    public NDArray perImage(NDArray x, NDArray reconstruction, NDArray logvar) {
        if (!x.getShape().equals(reconstruction.getShape())) {
            throw new IllegalArgumentException(
                    "x " + x.getShape() + " and reconstruction " + reconstruction.getShape() + " differ in shape");
        }
        int[] axes = new int[x.getShape().dimension() - 1];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i + 1;
        }
        NDArray diff = x.sub(reconstruction);
        return switch (this) {
            case L1 -> diff.abs().sum(axes);
            case L2 -> diff.square().sum(axes);
            case NLL -> {
                if (logvar == null) {
                    throw new IllegalArgumentException("NLL needs the log-variance s");
                }
                yield Scalars.mul(diff.square().mul(logvar.neg().exp()).add(logvar).add((float) LOG_2PI), 0.5).sum(axes);
            }
        };
    }
}
