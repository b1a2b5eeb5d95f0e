package ldm4j.pipeline.eval;

import java.util.Arrays;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;

/**
 * The first two moments of a feature set: what the Fréchet distance compares (Heusel et al. 2017,
 * "GANs Trained by a Two Time-Scale Update Rule Converge to a Local Nash Equilibrium", the FID definition).
 *
 * <p>Reference statistics of real data are computed once and cached. The record holds only
 * arrays and an int, so Jackson writes and reads it as JSON ({@code {"count":…, "mean":[…],
 * "covariance":[[…],…]}}) with no extra code.
 *
 * @param count number of feature vectors the moments were estimated from (N ≥ 2)
 * @param mean the sample mean μ, length D
 * @param covariance the unbiased sample covariance Σ = (X − μ)ᵀ(X − μ) / (N − 1), D × D, symmetric
 */
public record GaussianStats(int count, double[] mean, double[][] covariance) {

    /** Validates shapes and takes defensive copies, so a cached instance cannot be changed. */
    public GaussianStats {
        if (count < 2) {
            throw new IllegalArgumentException("count must be >= 2 for an unbiased covariance, got " + count);
        }
        if (mean == null || mean.length == 0) {
            throw new IllegalArgumentException("mean must have at least one dimension");
        }
        int d = mean.length;
        if (covariance == null || covariance.length != d) {
            throw new IllegalArgumentException("covariance must be " + d + " x " + d + " to match mean, got "
                    + (covariance == null ? "null" : covariance.length + " rows"));
        }
        mean = mean.clone();
        double[][] copy = new double[d][];
        for (int i = 0; i < d; i++) {
            if (covariance[i].length != d) {
                throw new IllegalArgumentException("covariance row " + i + " has " + covariance[i].length
                        + " entries, expected " + d);
            }
            copy[i] = covariance[i].clone();
        }
        covariance = copy;
    }

    /**
     * Estimates μ and the unbiased Σ of an N × D feature matrix (one row per sample).
     *
     * <p>Two passes (mean first, then centred products) rather than E[xxᵀ] − μμᵀ, which loses
     * precision when features have a large mean. O(N·D²) time, O(D²) extra memory.
     */
    public static GaussianStats of(double[][] features) {
        int n = features.length;
        if (n < 2) {
            throw new IllegalArgumentException("need at least 2 feature vectors, got " + n);
        }
        int d = features[0].length;
        double[] mu = new double[d];
        for (int r = 0; r < n; r++) {
            double[] x = features[r];
            if (x.length != d) {
                throw new IllegalArgumentException("feature row " + r + " has " + x.length + " values, expected " + d);
            }
            for (int i = 0; i < d; i++) {
                mu[i] += x[i];
            }
        }
        for (int i = 0; i < d; i++) {
            mu[i] /= n;
        }
        double[][] cov = new double[d][d];
        double[] centred = new double[d];
        for (double[] x : features) {
            for (int i = 0; i < d; i++) {
                centred[i] = x[i] - mu[i];
            }
            // Upper triangle only; Σ is symmetric and mirrored below.
            for (int i = 0; i < d; i++) {
                double ci = centred[i];
                double[] row = cov[i];
                for (int j = i; j < d; j++) {
                    row[j] += ci * centred[j];
                }
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                cov[i][j] /= n - 1;
                cov[j][i] = cov[i][j];
            }
        }
        return new GaussianStats(n, mu, cov);
    }

    /** {@link #of(double[][])} for an N × D Commons Math matrix, one row per sample. */
    public static GaussianStats of(RealMatrix features) {
        return of(features.getData());
    }

    /** Feature dimension D. */
    public int dimension() {
        return mean.length;
    }

    /** A copy of μ. */
    @Override
    public double[] mean() {
        return mean.clone();
    }

    /** A copy of Σ. */
    @Override
    public double[][] covariance() {
        double[][] copy = new double[covariance.length][];
        for (int i = 0; i < covariance.length; i++) {
            copy[i] = covariance[i].clone();
        }
        return copy;
    }

    /** μ as a Commons Math vector (a copy). */
    public RealVector meanVector() {
        return new ArrayRealVector(mean);
    }

    /** Σ as a Commons Math matrix (a copy). */
    public RealMatrix covarianceMatrix() {
        return new Array2DRowRealMatrix(covariance);
    }

    /** Value equality on the arrays (a record's default compares array references). */
    @Override
    public boolean equals(Object o) {
        return o instanceof GaussianStats g
                && count == g.count
                && Arrays.equals(mean, g.mean)
                && Arrays.deepEquals(covariance, g.covariance);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * count + Arrays.hashCode(mean)) + Arrays.deepHashCode(covariance);
    }

    @Override
    public String toString() {
        return "GaussianStats[count=" + count + ", dimension=" + mean.length + "]";
    }
}
