package ldm4j.autoencoder.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ldm4j.autoencoder.DiagonalGaussian;
import org.junit.jupiter.api.Test;

/** Rate and active units against closed forms on constructed posteriors. */
class LatentStatisticsTest {
    @Test
    void rateInBitsIsClosedFormKlOverLn2() {
        int n = 3;
        int c = 2;
        int h = 2;
        int w = 2;
        float[] mu = new float[n * c * h * w];
        float[] logvar = new float[mu.length];
        double klNats = 0;
        for (int i = 0; i < mu.length; i++) {
            mu[i] = (i % 5) * 0.3f - 0.6f;
            logvar[i] = (i % 3) * 0.5f - 0.5f;
            // KL(N(μ, σ²) ‖ N(0, 1)) = ½ (μ² + σ² − 1 − log σ²), summed over every element
            klNats += 0.5 * (mu[i] * mu[i] + Math.exp(logvar[i]) - 1 - logvar[i]);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            Shape s = new Shape(n, c, h, w);
            DiagonalGaussian q = new DiagonalGaussian(m.create(mu, s), m.create(logvar, s));
            LatentStatistics stats = new LatentStatistics(c, h, w);
            stats.accept(q.mean().toFloatArray(), q.kl().toFloatArray());
            double bitsPerImage = klNats / n / Math.log(2);
            assertEquals(bitsPerImage, stats.rateBitsPerImage(), 1e-5 * bitsPerImage);
            assertEquals(bitsPerImage / (c * h * w), stats.rateBitsPerElement(), 1e-5 * bitsPerImage);
        }
    }

    @Test
    void unitsConstantAcrossImagesAreInactive() {
        // 2 channels of 1×2: channel 0 swings ±0.5 across images (variance 0.25, active), channel 1
        // holds 3.0 everywhere at position 0 (inactive however large) and wobbles by ±0.05 at
        // position 1 (variance 0.0025 < 0.01, inactive).
        int n = 4;
        float[] means = new float[n * 4];
        float[] kl = new float[n];
        for (int i = 0; i < n; i++) {
            float sign = i % 2 == 0 ? 1 : -1;
            means[i * 4] = 0.5f * sign;
            means[i * 4 + 1] = -0.5f * sign + 1;
            means[i * 4 + 2] = 3f;
            means[i * 4 + 3] = 0.05f * sign;
        }
        LatentStatistics stats = new LatentStatistics(2, 1, 2);
        stats.accept(means, kl);
        assertArrayEquals(new double[] {0.25, 0.25, 0, 0.0025}, stats.unitActivity(), 1e-6);
        assertEquals(2, stats.activeUnits());
        assertEquals(0.5, stats.activeFraction(), 1e-12);
        assertArrayEquals(new double[] {0.5, 1.5}, stats.channelMean(), 1e-6);
        assertEquals(Math.sqrt(0.25 + 0.25), stats.channelStd()[0], 1e-6); // variance 0.25 around each position's mean plus the spread 0.25 of those means
    }
}
