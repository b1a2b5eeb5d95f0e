package ldm4j.pipeline.eval;

import java.util.SplittableRandom;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/** Seeded synthetic feature sets for the metric tests. */
final class GaussianSamples {
    private GaussianSamples() {}

    /** N draws of N(μ, Σ) as x = μ + L z with Σ = L Lᵀ (Cholesky) and z ~ N(0, I). */
    static double[][] draw(double[] mu, double[][] sigma, int n, long seed) {
        int d = mu.length;
        RealMatrix l = new CholeskyDecomposition(new Array2DRowRealMatrix(sigma)).getL();
        double[][] lower = l.getData();
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] out = new double[n][d];
        double[] z = new double[d];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < d; i++) {
                z[i] = rng.nextGaussian();
            }
            for (int i = 0; i < d; i++) {
                double s = mu[i];
                for (int j = 0; j <= i; j++) {
                    s += lower[i][j] * z[j];
                }
                out[r][i] = s;
            }
        }
        return out;
    }

    /** Isotropic N(centre, std²·I) draws. */
    static double[][] isotropic(double[] centre, double std, int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] out = new double[n][centre.length];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < centre.length; i++) {
                out[r][i] = centre[i] + std * rng.nextGaussian();
            }
        }
        return out;
    }

    /** A random, well-conditioned SPD matrix A Aᵀ / d + floor·I with dense off-diagonal terms. */
    static double[][] randomCovariance(int d, double floor, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] a = new double[d][d];
        for (double[] row : a) {
            for (int j = 0; j < d; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        double[][] s = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double v = 0;
                for (int k = 0; k < d; k++) {
                    v += a[i][k] * a[j][k];
                }
                s[i][j] = v / d + (i == j ? floor : 0);
            }
        }
        return s;
    }
}
