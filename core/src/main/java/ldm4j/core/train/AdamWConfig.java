package ldm4j.core.train;

/**
 * Hyper-parameters of {@link AdamW} other than the learning rate, which comes from an {@link
 * LrSchedule} each step.
 *
 * @param beta1 decay of the first-moment average, in [0, 1); 0.9 in the paper
 * @param beta2 decay of the second-moment average, in [0, 1); 0.999 in the paper
 * @param eps added to the denominator for numerical stability, &gt; 0; 1e-8 in the paper
 * @param weightDecay decoupled decay λ, ≥ 0: each step multiplies the weight by {@code 1 − lr·λ}
 *     (0.01 is torch's default)
 */
public record AdamWConfig(double beta1, double beta2, double eps, double weightDecay) {
    public AdamWConfig {
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException("eps must be > 0, got " + eps);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay must be finite and >= 0, got " + weightDecay);
        }
    }

    /** torch.optim.AdamW's defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01. */
    public static AdamWConfig defaults() {
        return new AdamWConfig(0.9, 0.999, 1e-8, 0.01);
    }

    /** The same betas and eps with another weight decay. */
    public AdamWConfig withWeightDecay(double wd) {
        return new AdamWConfig(beta1, beta2, eps, wd);
    }
}
