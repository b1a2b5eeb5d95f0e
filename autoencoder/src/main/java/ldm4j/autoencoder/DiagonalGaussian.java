package ldm4j.autoencoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ldm4j.core.nn.Scalars;

/**
 * The encoder's posterior q(z|x) = N(mean, diag(exp(logvar))), one Gaussian per latent element.
 *
 * <p>Built from the moments (N, 2·z, h, w), or (N, 2·d) for a dense latent: the first z channels
 * (units) are the mean, the last z the
 * log-variance, which is clamped to [{@value #LOGVAR_MIN}, {@value #LOGVAR_MAX}] as in LDM (this
 * keeps exp(logvar) finite and the gradient through the clamp is zero outside the range). All
 * derived arrays belong to the manager of the moments.
 */
public final class DiagonalGaussian {
    /** Lower clamp of the log-variance. */
    public static final double LOGVAR_MIN = -30;

    /** Upper clamp of the log-variance. */
    public static final double LOGVAR_MAX = 20;

    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final NDArray mean;
    private final NDArray logvar;
    private final NDArray std;
    private final NDArray var;

    /**
     * A posterior from a mean and an (unclamped) log-variance of equal shape.
     *
     * @param mean (N, z, h, w)
     * @param logvar (N, z, h, w); clamped here
     */
    public DiagonalGaussian(NDArray mean, NDArray logvar) {
        if (!mean.getShape().equals(logvar.getShape())) {
            throw new IllegalArgumentException(
                    "mean " + mean.getShape() + " and logvar " + logvar.getShape() + " differ in shape");
        }
        this.mean = mean;
        this.logvar = logvar.clip(LOGVAR_MIN, LOGVAR_MAX);
        this.std = Scalars.mul(this.logvar, 0.5).exp();
        this.var = this.logvar.exp();
    }

    /**
     * Splits moments (N, 2·z, h, w) into mean (first z channels) and log-variance (last z).
     */
    public static DiagonalGaussian fromMoments(NDArray moments) {
        Shape s = moments.getShape();
        if (s.dimension() < 2 || s.get(1) % 2 != 0) {
            throw new IllegalArgumentException("moments need an even channel count on axis 1, got " + s);
        }
        NDList parts = moments.split(2, 1);
        return new DiagonalGaussian(parts.get(0), parts.get(1));
    }

    /** The mean, (N, z, h, w). */
    public NDArray mean() {
        return mean;
    }

    /** The clamped log-variance, (N, z, h, w). */
    public NDArray logvar() {
        return logvar;
    }

    /** The standard deviation exp(logvar / 2). */
    public NDArray std() {
        return std;
    }

    /** The variance exp(logvar). */
    public NDArray var() {
        return var;
    }

    /**
     * A reparameterised sample {@code mean + std · noise}; gradients flow to mean and logvar.
     *
     * @param noise standard-normal noise of the mean's shape
     */
    public NDArray sample(NDArray noise) {
        if (!noise.getShape().equals(mean.getShape())) {
            throw new IllegalArgumentException(
                    "noise " + noise.getShape() + " must have the posterior's shape " + mean.getShape());
        }
        return mean.add(std.mul(noise));
    }

    /** A reparameterised sample with noise drawn from the engine's RNG on the mean's manager. */
    public NDArray sample() {
        return sample(mean.getManager().randomNormal(0f, 1f, mean.getShape(), mean.getDataType(), mean.getDevice()));
    }

    /** The mode of the posterior, which is its mean. */
    public NDArray mode() {
        return mean;
    }

    /**
     * KL(q ‖ N(0, I)) in nats, summed over all non-batch axes: (N,).
     *
     * <p>Per element: ½ (μ² + σ² − 1 − log σ²).
     */
    public NDArray kl() {
        return Scalars.mul(mean.square().add(var).sub(1).sub(logvar), 0.5).sum(nonBatchAxes());
    }

    /**
     * Negative log-likelihood of {@code sample} under q, in nats, summed over all non-batch axes:
     * (N,). Per element: ½ (log 2π + log σ² + (x − μ)² / σ²).
     */
    public NDArray nll(NDArray sample) {
        return Scalars.mul(sample.sub(mean).square().div(var).add(logvar).add((float) LOG_2PI), 0.5)
                .sum(nonBatchAxes());
    }

    private int[] nonBatchAxes() {
        int[] axes = new int[mean.getShape().dimension() - 1];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i + 1;
        }
        return axes;
    }
}
