package ldm4j.diffusion.schedule;

import ldm4j.core.io.ConfigEnum;

/**
 * How the forward-process variances β_0 … β_{T-1} are chosen.
 *
 * <p>Table index i (0-based) is the paper's step t = i + 1, as in LDM and diffusers.
 */
public enum BetaSchedule implements ConfigEnum {
    /** β linear from 1e-4 to 0.02 (Ho et al. 2020, §4). */
    LINEAR("linear"),
    /**
     * √β linear from √0.0015 to √0.0195, so β_0 = 0.0015 and β_{T-1} = 0.0195 (LDM's "linear"
     * schedule, Rombach et al. 2022; diffusers calls it "scaled_linear").
     */
    SCALED_LINEAR("scaled-linear"),
    /**
     * ᾱ(t) = f(t)/f(0), f(t) = cos²(((t/T) + s)/(1 + s) · π/2), s = 0.008, β clipped at 0.999
     * (Nichol & Dhariwal 2021, eq. 17).
     */
    COSINE("cosine");

    public static final double LINEAR_START = 1e-4;
    public static final double LINEAR_END = 0.02;
    public static final double SCALED_LINEAR_START = 0.0015;
    public static final double SCALED_LINEAR_END = 0.0195;
    /** Offset s of the cosine schedule, so that β_0 is not vanishingly small. */
    public static final double COSINE_S = 0.008;
    /** Upper clip of β in the cosine schedule, which avoids a singularity at t = T. */
    public static final double COSINE_MAX_BETA = 0.999;

    private final String id;

    BetaSchedule(String id) {
        this.id = id;
    }

    /** The name used in configs and on the command line. */
    @Override
    public String id() {
        return id;
    }

    /** β_0 … β_{T-1} for {@code steps} = T forward steps. */
    public double[] betas(int steps) {
        return betas(steps, 0, 0);
    }

    /**
     * β_0 … β_{T−1} between {@code start} and {@code end} (diffusers' {@code beta_start} and {@code
     * beta_end}); 0 for either keeps this schedule's own. Stable Diffusion's scaled-linear schedule is
     * 0.00085 to 0.012; LDM's configs for its latent models use this enum's 0.0015 to 0.0195.
     *
     * @throws IllegalArgumentException when the bounds are not 0 &lt; start &lt; end &lt; 1, or are given
     *     for the cosine schedule, which has none
     */
    public double[] betas(int steps, double start, double end) {
        checkBounds(start, end);
        double from = startOr(start);
        double to = endOr(end);
        if (steps < 2) {
            throw new IllegalArgumentException("steps (T) must be >= 2, got " + steps);
        }
        return switch (this) {
            case LINEAR -> linspace(from, to, steps);
            case SCALED_LINEAR -> {
                double[] b = linspace(Math.sqrt(from), Math.sqrt(to), steps);
                for (int i = 0; i < steps; i++) {
                    b[i] = b[i] * b[i];
                }
                yield b;
            }
            case COSINE -> {
                double[] b = new double[steps];
                for (int i = 0; i < steps; i++) {
                    // β_i = 1 − ᾱ(i+1)/ᾱ(i) = 1 − f(i+1)/f(i)
                    b[i] = Math.min(1 - cosineF(i + 1, steps) / cosineF(i, steps), COSINE_MAX_BETA);
                }
                yield b;
            }
        };
    }

    /** β at the first step when no {@code beta_start} is given; NaN for cosine, which has no bounds. */
    public double defaultStart() {
        return switch (this) {
            case LINEAR -> LINEAR_START;
            case SCALED_LINEAR -> SCALED_LINEAR_START;
            case COSINE -> Double.NaN;
        };
    }

    /** β at the last step when no {@code beta_end} is given; NaN for cosine. */
    public double defaultEnd() {
        return switch (this) {
            case LINEAR -> LINEAR_END;
            case SCALED_LINEAR -> SCALED_LINEAR_END;
            case COSINE -> Double.NaN;
        };
    }

    /**
     * Checks {@code beta_start} and {@code beta_end} for this schedule: 0 means "the schedule's own";
     * otherwise the effective bounds must satisfy 0 &lt; start &lt; end &lt; 1.
     */
    public void checkBounds(double start, double end) {
        if (start == 0 && end == 0) {
            return;
        }
        if (this == COSINE) {
            throw new IllegalArgumentException("beta_start and beta_end do not apply to the cosine schedule; leave them out");
        }
        double from = startOr(start);
        double to = endOr(end);
        if (!(from > 0 && from < to && to < 1)) {
            throw new IllegalArgumentException("beta_start and beta_end must satisfy 0 < beta_start < beta_end < 1, got "
                    + from + " and " + to);
        }
    }

    /** The effective first β: {@code given}, or this schedule's own when 0. */
    private double startOr(double given) {
        return given == 0 ? defaultStart() : given;
    }

    /** The effective last β: {@code given}, or this schedule's own when 0. */
    private double endOr(double given) {
        return given == 0 ? defaultEnd() : given;
    }

    /** f(t) = cos²(((t/T) + s)/(1 + s) · π/2) of the cosine schedule (Nichol & Dhariwal 2021, eq. 17). */
    public static double cosineF(double t, int steps) {
        double c = Math.cos((t / steps + COSINE_S) / (1 + COSINE_S) * Math.PI / 2);
        return c * c;
    }

    /** Parses "linear", "scaled-linear" or "cosine" (case-insensitive). */
    public static BetaSchedule fromString(String name) {
        return ConfigEnum.parse(BetaSchedule.class, name);
    }

    private static double[] linspace(double start, double end, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = start + (end - start) * i / (n - 1);
        }
        return out;
    }
}
