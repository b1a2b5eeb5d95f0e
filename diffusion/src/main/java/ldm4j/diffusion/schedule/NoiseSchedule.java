package ldm4j.diffusion.schedule;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The DDPM forward process q(x_t | x_0) = N(√ᾱ_t x_0, (1 − ᾱ_t) I) over T steps, as precomputed
 * {@code double[]} tables indexed by the 0-based step t ∈ [0, T).
 *
 * <p>Build it with {@link #of(BetaSchedule, int)} or {@link #fromBetas(double[])}; every other
 * table is derived from β. The tables are shared, not copied: treat them as read-only.
 *
 * <pre>
 * field                 symbol (Ho et al. 2020)                     equation
 * betas                 β_t
 * alphas                α_t = 1 − β_t
 * alphaBar              ᾱ_t = Π_{s≤t} α_s                          eq. 4
 * alphaBarPrev          ᾱ_{t−1}, with ᾱ_{−1} = 1
 * sqrtAlphaBar          √ᾱ_t
 * sqrtOneMinusAlphaBar  √(1 − ᾱ_t)
 * posteriorVariance     β̃_t = (1 − ᾱ_{t−1})/(1 − ᾱ_t) · β_t          eq. 7
 * posteriorMeanCoef1    √ᾱ_{t−1} β_t/(1 − ᾱ_t)        (times x_0)    eq. 7
 * posteriorMeanCoef2    √α_t (1 − ᾱ_{t−1})/(1 − ᾱ_t)  (times x_t)    eq. 7
 * snr                   SNR(t) = ᾱ_t/(1 − ᾱ_t)      (Kingma et al. 2021)
 * </pre>
 */
public record NoiseSchedule(
        double[] betas,
        double[] alphas,
        double[] alphaBar,
        double[] alphaBarPrev,
        double[] sqrtAlphaBar,
        double[] sqrtOneMinusAlphaBar,
        double[] posteriorVariance,
        double[] posteriorMeanCoef1,
        double[] posteriorMeanCoef2,
        double[] snr) {

    /** The default number of forward steps T. */
    public static final int DEFAULT_STEPS = 1000;

    public NoiseSchedule {
        int n = betas.length;
        double[][] tables = {alphas, alphaBar, alphaBarPrev, sqrtAlphaBar, sqrtOneMinusAlphaBar,
            posteriorVariance, posteriorMeanCoef1, posteriorMeanCoef2, snr};
        for (double[] table : tables) {
            if (table.length != n) {
                throw new IllegalArgumentException("every table must have T = " + n + " entries, got " + table.length);
            }
        }
    }

    /** The schedule {@code kind} over {@code steps} = T forward steps. */
    public static NoiseSchedule of(BetaSchedule kind, int steps) {
        return fromBetas(kind.betas(steps));
    }

    /** {@code kind} over the default T = 1000 steps. */
    public static NoiseSchedule of(BetaSchedule kind) {
        return of(kind, DEFAULT_STEPS);
    }

    /** Derives every table from β_0 … β_{T-1}, each in (0, 1). */
    public static NoiseSchedule fromBetas(double[] betas) {
        int n = betas.length;
        if (n < 2) {
            throw new IllegalArgumentException("betas needs at least 2 steps, got " + n);
        }
        double[] b = betas.clone();
        double[] alphas = new double[n];
        double[] alphaBar = new double[n];
        double[] alphaBarPrev = new double[n];
        double[] sqrtAlphaBar = new double[n];
        double[] sqrtOneMinusAlphaBar = new double[n];
        double[] posteriorVariance = new double[n];
        double[] coef1 = new double[n];
        double[] coef2 = new double[n];
        double[] snr = new double[n];
        double prod = 1.0;
        for (int t = 0; t < n; t++) {
            if (!(b[t] > 0 && b[t] < 1)) {
                throw new IllegalArgumentException("betas[" + t + "] must be in (0, 1), got " + b[t]);
            }
            alphas[t] = 1 - b[t];
            alphaBarPrev[t] = prod;
            prod *= alphas[t];
            alphaBar[t] = prod;
            sqrtAlphaBar[t] = Math.sqrt(prod);
            sqrtOneMinusAlphaBar[t] = Math.sqrt(1 - prod);
            posteriorVariance[t] = (1 - alphaBarPrev[t]) / (1 - prod) * b[t];
            coef1[t] = Math.sqrt(alphaBarPrev[t]) * b[t] / (1 - prod);
            coef2[t] = Math.sqrt(alphas[t]) * (1 - alphaBarPrev[t]) / (1 - prod);
            snr[t] = prod / (1 - prod);
        }
        return new NoiseSchedule(b, alphas, alphaBar, alphaBarPrev, sqrtAlphaBar, sqrtOneMinusAlphaBar,
                posteriorVariance, coef1, coef2, snr);
    }

    /** T, the number of forward steps. */
    public int steps() {
        return betas.length;
    }

    /** ᾱ_t; ᾱ_{−1} = 1 (t = −1 stands for "clean data" at the end of a sampler). */
    public double alphaBar(int t) {
        checkStep(t, true);
        return t < 0 ? 1.0 : alphaBar[t];
    }

    /** SNR(t) = ᾱ_t/(1 − ᾱ_t). */
    public double snr(int t) {
        checkStep(t, false);
        return snr[t];
    }

    /**
     * x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε, a draw from q(x_t | x_0) (Ho et al. 2020, eq. 4).
     *
     * @param x0 clean data, (N, …)
     * @param t per-sample step indices, int or long, shape (N,)
     * @param eps standard Gaussian noise, the shape of {@code x0}
     * @return x_t on x0's manager
     */
    public NDArray qSample(NDArray x0, NDArray t, NDArray eps) {
        Shape shape = x0.getShape();
        try (NDArray a = extract(sqrtAlphaBar, t, shape);
                NDArray s = extract(sqrtOneMinusAlphaBar, t, shape);
                NDArray signal = x0.mul(a);
                NDArray noise = eps.mul(s)) {
            return signal.add(noise);
        }
    }

    /**
     * Gathers {@code table[t_i]} for each sample i and shapes it (N, 1, …, 1) to broadcast against
     * an array of {@code shape} (N, …). The result is float32 on t's manager.
     */
    public NDArray extract(double[] table, NDArray t, Shape shape) {
        long[] idx = indices(t);
        if (idx.length != shape.get(0)) {
            throw new IllegalArgumentException(
                    "t has " + idx.length + " entries but the batch " + shape + " has " + shape.get(0));
        }
        float[] values = new float[idx.length];
        for (int i = 0; i < idx.length; i++) {
            checkStep(idx[i], false);
            values[i] = (float) table[(int) idx[i]];
        }
        long[] dims = new long[shape.dimension()];
        java.util.Arrays.fill(dims, 1);
        dims[0] = idx.length;
        return t.getManager().create(values, new Shape(dims));
    }

    /** The step indices of a (N,) int or long array, as a Java array. */
    static long[] indices(NDArray t) {
        if (t.getShape().dimension() != 1) {
            throw new IllegalArgumentException("t must have shape (N,), got " + t.getShape());
        }
        DataType type = t.getDataType();
        if (type == DataType.INT64) {
            return t.toLongArray();
        }
        if (type == DataType.INT32) {
            return java.util.Arrays.stream(t.toIntArray()).asLongStream().toArray();
        }
        throw new IllegalArgumentException("t must be int32 or int64, got " + type);
    }

    private void checkStep(long t, boolean allowMinusOne) {
        if (t >= betas.length || t < (allowMinusOne ? -1 : 0)) {
            throw new IllegalArgumentException("step t must be in [" + (allowMinusOne ? -1 : 0) + ", "
                    + betas.length + "), got " + t);
        }
    }
}
