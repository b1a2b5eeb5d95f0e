package ldm4j.autoencoder.loss;

import java.util.Locale;

/**
 * The decoder's likelihood p(x|z) as a run trained it, for what evaluation reports about it: the
 * effective β and the negative ELBO.
 *
 * <p><b>Effective β.</b> The KL's weight relative to a plain sum of reconstruction errors, which is
 * what β means once the likelihood's scale is taken out:
 *
 * <ul>
 *   <li>{@code l2} with fixed σ, loss ‖x − x̂‖²/(2σ²) + β·KL: 2σ²β, relative to the sum of squared
 *       errors (1/√2, the default, gives β itself);
 *   <li>{@code nll} with learned s, loss ½[‖x − x̂‖²/e^s + …] + β·KL: 2·e^s·β, relative to the same sum
 *       (e^s plays σ²), so it moves as s is learned;
 *   <li>{@code l1}, loss Σ|x − x̂| + β·KL: β, relative to the sum of absolute errors. It does not
 *       compare with the other two.
 * </ul>
 *
 * <p><b>Negative log-likelihood.</b> Of an image under a Gaussian decoder, with its constant, in nats,
 * in the model's pixel units ([-1, 1], x = 2u/255 − 1 for a uint8 pixel u): for {@code l2} σ is the
 * fixed one, for {@code nll} σ² = e^s. For {@code l1} it is not reported (NaN): the loss fixes no
 * likelihood scale that means anything (read as a Laplace density its scale would be 1, the whole
 * [-1, 1] range per pixel).
 *
 * @param loss the reconstruction term
 * @param beta the nominal KL weight β
 * @param sigma the decoder's fixed σ for {@code l2}; ignored otherwise
 * @param logvar the learned log-variance s for {@code nll}; ignored (NaN) otherwise
 */
public record Likelihood(ReconstructionLoss loss, double beta, double sigma, double logvar) {
    /** What {@link #effectiveBeta()} is relative to: the plain sum of squared errors over pixels. */
    public static final String SUM_SQUARED_ERROR = "sum_squared_error";
    /** What {@link #effectiveBeta()} is relative to for {@code l1}: the sum of absolute errors. */
    public static final String SUM_ABSOLUTE_ERROR = "sum_absolute_error";

    private static final double LOG_2PI = Math.log(2 * Math.PI);

    /** The KL's weight relative to the plain error sum named by {@link #betaRelativeTo()}. */
    public double effectiveBeta() {
        return switch (loss) {
            case L2 -> 2 * sigma * sigma * beta;
            case NLL -> 2 * Math.exp(logvar) * beta;
            case L1 -> beta;
        };
    }

    /** {@value #SUM_SQUARED_ERROR} for {@code l2} and {@code nll}, {@value #SUM_ABSOLUTE_ERROR} for {@code l1}. */
    public String betaRelativeTo() {
        return loss == ReconstructionLoss.L1 ? SUM_ABSOLUTE_ERROR : SUM_SQUARED_ERROR;
    }

    /** The decoder's variance σ² ({@code l2}) or e^s ({@code nll}); NaN for {@code l1}. */
    public double variance() {
        return switch (loss) {
            case L2 -> sigma * sigma;
            case NLL -> Math.exp(logvar);
            case L1 -> Double.NaN;
        };
    }

    /** True when {@link #negativeLogLikelihood} is a density's (not for {@code l1}). */
    public boolean gaussian() {
        return loss != ReconstructionLoss.L1;
    }

    /**
     * −log p(x|z) of one image in nats: {@code Σ(x − x̂)²/(2σ²) + (D/2)·log(2πσ²)}, or NaN for {@code l1}.
     *
     * @param sumSquaredError Σ(x − x̂)² over the image's D values, in [-1, 1] units
     * @param dims D = C·H·W
     */
    public double negativeLogLikelihood(double sumSquaredError, long dims) {
        if (!gaussian()) {
            return Double.NaN;
        }
        double var = variance();
        return sumSquaredError / (2 * var) + 0.5 * dims * (Math.log(var) + LOG_2PI);
    }

    /** A short line for logs and summaries: "β 1 (effective 1 relative to the sum_squared_error)". */
    public String describe() {
        return String.format(Locale.ROOT, "β %s (effective %.4g relative to the %s)", beta, effectiveBeta(),
                betaRelativeTo());
    }
}
