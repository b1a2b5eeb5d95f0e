package ldm4j.core.train;

import ai.djl.ndarray.NDArray;
import java.util.List;
import ldm4j.core.nn.Scalars;

/**
 * Clipping by global L2 norm (Pascanu et al. 2013, "On the difficulty of training recurrent neural
 * networks", Alg. 2; {@code torch.nn.utils.clip_grad_norm_}).
 *
 * <p>With {@code ‖g‖ = sqrt(Σ_p Σ_i g_{p,i}²)} over all parameters, every gradient is multiplied by
 * {@code min(1, maxNorm / (‖g‖ + 1e-6))}. The direction of the joint gradient is kept. DJL's own
 * {@code optClipGrad(c)} is an element-wise {@code clamp_max(c)} that leaves negative gradients
 * untouched, which is why this class exists.
 */
public final class GradNormClip {
    /** Added to the norm before dividing, as torch does, so a zero norm never divides by zero. */
    public static final double EPS = 1e-6;

    private final double maxNorm;

    /**
     * @param maxNorm the largest global norm let through; {@code Double.POSITIVE_INFINITY} measures
     *     the norm without clipping
     */
    public GradNormClip(double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("maxNorm must be > 0, got " + maxNorm);
        }
        this.maxNorm = maxNorm;
    }

    /** A clip that only measures the norm. */
    public static GradNormClip measureOnly() {
        return new GradNormClip(Double.POSITIVE_INFINITY);
    }

    public double maxNorm() {
        return maxNorm;
    }

    /**
     * Scales all gradients in place so that their global norm is at most {@link #maxNorm()}. A
     * non-finite norm leaves the gradients as they are: there is nothing sensible to scale, and the
     * {@link NonFiniteGuard} fed with the returned norm skips the step.
     *
     * @param grads this step's gradients
     * @return the global norm <em>before</em> clipping (NaN or infinite if any gradient is)
     */
    public float clip(List<ParamGrad> grads) {
        float norm = globalNorm(grads);
        double scale = maxNorm / (norm + EPS);
        if (Float.isFinite(norm) && scale < 1) {
            for (ParamGrad g : grads) {
                Scalars.muli(g.grad(), scale);
            }
        }
        return norm;
    }

    /**
     * {@code sqrt(Σ_p Σ_i g_{p,i}²)}, read back to the host once. A NaN or infinity anywhere makes
     * the result NaN or infinite, so the norm doubles as the finiteness check.
     *
     * @param grads gradients, any managers (temporaries are closed here)
     * @return the global L2 norm; 0 for an empty list
     */
    public static float globalNorm(List<ParamGrad> grads) {
        NDArray sumOfSquares = null;
        try {
            for (ParamGrad g : grads) {
                NDArray s;
                try (NDArray sq = g.grad().square()) {
                    s = sq.sum();
                }
                if (sumOfSquares == null) {
                    sumOfSquares = s;
                } else {
                    sumOfSquares.addi(s);
                    s.close();
                }
            }
            return sumOfSquares == null ? 0f : (float) Math.sqrt(sumOfSquares.getFloat());
        } finally {
            if (sumOfSquares != null) {
                sumOfSquares.close();
            }
        }
    }
}
