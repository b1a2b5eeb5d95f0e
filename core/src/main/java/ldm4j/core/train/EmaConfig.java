package ldm4j.core.train;

/**
 * Settings of the {@link Ema} of the weights.
 *
 * @param decay the target decay d in (0, 1); 0.9999 for diffusion (LDM, DDPM)
 * @param warmup whether the decay of update n (1 for the first) is {@code min(d, (1 + n)/(10 + n))},
 *     so the average forgets the random initialisation quickly; this is LDM's {@code LitEma}, which
 *     increments {@code num_updates} before computing the decay (TensorFlow's
 *     ExponentialMovingAverage with num_updates does the same)
 */
public record EmaConfig(double decay, boolean warmup) {
    public EmaConfig {
        if (!(decay > 0 && decay < 1)) {
            throw new IllegalArgumentException("decay must be in (0, 1), got " + decay);
        }
    }

    /** The diffusion default: decay 0.9999 with warm-up. */
    public static EmaConfig diffusionDefault() {
        return new EmaConfig(0.9999, true);
    }

    /**
     * The decay used by update number {@code n}: the first update is n = 1, whose warm-up decay is
     * 2/11, so the first average is already 9/11 the current weights.
     *
     * @param n the number of this update, counting from 1
     * @return {@code min(decay, (1 + n)/(10 + n))} with warm-up, else {@code decay}
     */
    public double decayAt(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("n counts updates from 1, got " + n);
        }
        return warmup ? Math.min(decay, (1.0 + n) / (10.0 + n)) : decay;
    }
}
