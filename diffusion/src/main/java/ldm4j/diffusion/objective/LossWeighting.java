package ldm4j.diffusion.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ldm4j.core.io.ConfigEnum;
import ldm4j.diffusion.schedule.NoiseSchedule;

/**
 * Per-timestep weight of the denoising loss.
 *
 * <p>Min-SNR-γ (Hang et al. 2023, "Efficient Diffusion Training via Min-SNR Weighting Strategy",
 * arXiv:2303.09556, §3.4) clamps the x_0-space weight SNR(t) at γ = 5 and rewrites it for the
 * network's target: min(SNR, γ)/SNR for ε, min(SNR, γ)/(SNR + 1) for v.
 */
public enum LossWeighting implements ConfigEnum {
    /** Every step weighs 1 (the "simple" loss of Ho et al. 2020, eq. 14). */
    UNIFORM("uniform"),
    /** Min-SNR-γ with γ = {@link #MIN_SNR_GAMMA}. */
    MIN_SNR("min-snr");

    /** γ of min-SNR-γ, the paper's recommended value. */
    public static final double MIN_SNR_GAMMA = 5.0;

    private final String id;

    LossWeighting(String id) {
        this.id = id;
    }

    /** The name used in configs and on the command line. */
    @Override
    public String id() {
        return id;
    }

    /** The weight at one step for a model that predicts {@code prediction}. */
    public double weight(NoiseSchedule schedule, Prediction prediction, int t) {
        double snr = schedule.snr(t);
        return switch (this) {
            case UNIFORM -> 1.0;
            case MIN_SNR -> switch (prediction) {
                case EPS -> Math.min(snr, MIN_SNR_GAMMA) / snr;
                case V -> Math.min(snr, MIN_SNR_GAMMA) / (snr + 1);
            };
        };
    }

    /**
     * The per-sample weights, float32 of shape (N,) on t's manager.
     *
     * @param t per-sample steps, int32 or int64 of shape (N,)
     */
    public NDArray weight(NoiseSchedule schedule, Prediction prediction, NDArray t) {
        double[] table = new double[schedule.steps()];
        for (int i = 0; i < table.length; i++) {
            table[i] = weight(schedule, prediction, i);
        }
        return schedule.extract(table, t, new Shape(t.getShape().get(0)));
    }

    /** Parses "uniform" or "min-snr" (case-insensitive). */
    public static LossWeighting fromString(String name) {
        return ConfigEnum.parse(LossWeighting.class, name);
    }
}
