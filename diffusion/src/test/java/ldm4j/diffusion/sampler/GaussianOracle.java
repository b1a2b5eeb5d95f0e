package ldm4j.diffusion.sampler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import ldm4j.diffusion.objective.Prediction;
import ldm4j.diffusion.schedule.NoiseSchedule;

/**
 * The exact denoiser for Gaussian data x_0 ~ N(μ_k, σ² I), where k is the sample's class (the null
 * class has its own mean): with a = √ᾱ_t and s = √(1 − ᾱ_t),
 *
 * <pre>
 * E[ε | x_t] = s (x_t − a μ)/(a² σ² + s²)
 * </pre>
 *
 * and the v-oracle follows from the conversions. A sampler driven by it must return N(μ_k, σ²).
 */
final class GaussianOracle implements Denoiser {
    private final NoiseSchedule schedule;
    private final Prediction prediction;
    private final double[] classMeans;
    private final double nullMean;
    private final int nullClass;
    private final double sigma;

    /** Class k has mean classMeans[k]; label {@code nullClass} (and no label) means nullMean. */
    GaussianOracle(NoiseSchedule schedule, Prediction prediction, double[] classMeans, int nullClass,
            double nullMean, double sigma) {
        this.schedule = schedule;
        this.prediction = prediction;
        this.classMeans = classMeans.clone();
        this.nullClass = nullClass;
        this.nullMean = nullMean;
        this.sigma = sigma;
    }

    /** An unconditional oracle for N(μ, σ²). */
    static GaussianOracle unconditional(NoiseSchedule schedule, Prediction prediction, double mu, double sigma) {
        return new GaussianOracle(schedule, prediction, new double[0], 0, mu, sigma);
    }

    @Override
    public NDArray predict(NDArray xt, NDArray t, NDArray classLabels) {
        long[] ts = t.toLongArray();
        long[] labels = classLabels == null ? null : classLabels.toLongArray();
        int n = ts.length;
        float[] shift = new float[n];
        float[] gain = new float[n];
        for (int i = 0; i < n; i++) {
            double abar = schedule.alphaBar((int) ts[i]);
            double mu = labels == null || labels[i] == nullClass ? nullMean : classMeans[(int) labels[i]];
            shift[i] = (float) (Math.sqrt(abar) * mu);
            gain[i] = (float) (Math.sqrt(1 - abar) / (abar * sigma * sigma + 1 - abar));
        }
        long[] dims = new long[xt.getShape().dimension()];
        Arrays.fill(dims, 1);
        dims[0] = n;
        NDManager m = xt.getManager();
        NDArray eps = xt.sub(m.create(shift, new ai.djl.ndarray.types.Shape(dims)))
                .mul(m.create(gain, new ai.djl.ndarray.types.Shape(dims)));
        return prediction.fromEps(schedule, xt, eps, t);
    }
}
