package ldm4j.autoencoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.apache.commons.math3.analysis.UnivariateFunction;
import org.apache.commons.math3.analysis.integration.IterativeLegendreGaussIntegrator;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

class DiagonalGaussianTest {

    @Test
    void klMatchesNumericalIntegrationInOneDimension() {
        double[][] cases = {{0, 1}, {1.5, 1}, {0, 0.3}, {-2, 2.5}, {0.7, 0.05}, {3, 0.8}};
        try (NDManager m = NDManager.newBaseManager()) {
            for (double[] c : cases) {
                double mu = c[0];
                double sigma = c[1];
                NormalDistribution q = new NormalDistribution(mu, sigma);
                NormalDistribution p = new NormalDistribution(0, 1);
                UnivariateFunction integrand = z -> q.density(z) * (q.logDensity(z) - p.logDensity(z));
                // Integrate over ±12σ around μ, in pieces so the quadrature resolves the peak.
                IterativeLegendreGaussIntegrator integrator = new IterativeLegendreGaussIntegrator(16, 1e-12, 1e-12);
                double lo = mu - 12 * sigma;
                double width = 24 * sigma / 48;
                double numeric = 0;
                for (int i = 0; i < 48; i++) {
                    numeric += integrator.integrate(100_000, integrand, lo + i * width, lo + (i + 1) * width);
                }
                DiagonalGaussian posterior =
                        new DiagonalGaussian(
                                m.create(new float[] {(float) mu}, new Shape(1, 1, 1, 1)),
                                m.create(new float[] {(float) (2 * Math.log(sigma))}, new Shape(1, 1, 1, 1)));
                assertEquals(numeric, posterior.kl().getFloat(), 1e-4 * Math.max(1, numeric), "μ=" + mu + ", σ=" + sigma);
            }
        }
    }

    @Test
    void klOfStandardNormalPosteriorIsZero() {
        try (NDManager m = NDManager.newBaseManager()) {
            DiagonalGaussian posterior =
                    DiagonalGaussian.fromMoments(m.zeros(new Shape(3, 4, 2, 2)));
            NDArray kl = posterior.kl();
            assertEquals(new Shape(3), kl.getShape());
            assertArrayEquals(new float[] {0, 0, 0}, kl.toFloatArray(), 0f);
        }
    }

    @Test
    void klIsSummedOverChannelsAndSpace() {
        try (NDManager m = NDManager.newBaseManager()) {
            // μ = 1, σ = 1 everywhere: ½ μ² = 0.5 per element, 2·3·3 = 18 elements per image.
            NDArray mean = m.ones(new Shape(2, 2, 3, 3));
            DiagonalGaussian posterior = new DiagonalGaussian(mean, m.zeros(mean.getShape()));
            assertArrayEquals(new float[] {9, 9}, posterior.kl().toFloatArray(), 1e-6f);
        }
    }

    @Test
    void logvarIsClampedToLdmRange() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray mean = m.zeros(new Shape(1, 1, 1, 4));
            NDArray logvar = m.create(new float[] {-100, -30, 5, 80}, new Shape(1, 1, 1, 4));
            DiagonalGaussian posterior = new DiagonalGaussian(mean, logvar);
            assertArrayEquals(new float[] {-30, -30, 5, 20}, posterior.logvar().toFloatArray(), 0f);
            assertArrayEquals(
                    new float[] {(float) Math.exp(-15), (float) Math.exp(-15), (float) Math.exp(2.5), (float) Math.exp(10)},
                    posterior.std().toFloatArray(),
                    1e-3f * (float) Math.exp(10));
        }
    }

    @Test
    void fromMomentsTakesMeanFirstThenLogvar() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray moments = m.create(new float[] {1, 2, 3, 4}, new Shape(1, 4, 1, 1));
            DiagonalGaussian posterior = DiagonalGaussian.fromMoments(moments);
            assertArrayEquals(new float[] {1, 2}, posterior.mean().toFloatArray(), 0f);
            assertArrayEquals(new float[] {3, 4}, posterior.logvar().toFloatArray(), 0f);
            assertEquals(posterior.mean(), posterior.mode());
        }
    }

    @Test
    void sampleIsMeanPlusStdTimesNoise() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray mean = m.create(new float[] {1, -2}, new Shape(1, 2, 1, 1));
            NDArray logvar = m.create(new float[] {0, (float) Math.log(4)}, new Shape(1, 2, 1, 1));
            NDArray noise = m.create(new float[] {0.5f, -1}, new Shape(1, 2, 1, 1));
            NDArray z = new DiagonalGaussian(mean, logvar).sample(noise);
            assertArrayEquals(new float[] {1.5f, -4}, z.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void nllIsNegativeLogDensitySummedOverElements() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray mean = m.create(new float[] {1, -2}, new Shape(1, 2, 1, 1));
            NDArray logvar = m.create(new float[] {0, (float) Math.log(4)}, new Shape(1, 2, 1, 1));
            NDArray x = m.create(new float[] {0, 1}, new Shape(1, 2, 1, 1));
            double expected =
                    -new NormalDistribution(1, 1).logDensity(0) - new NormalDistribution(-2, 2).logDensity(1);
            assertEquals(expected, new DiagonalGaussian(mean, logvar).nll(x).getFloat(), 1e-5);
        }
    }
}
