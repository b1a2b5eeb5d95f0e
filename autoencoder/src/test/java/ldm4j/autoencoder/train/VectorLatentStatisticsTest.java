package ldm4j.autoencoder.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ldm4j.autoencoder.DiagonalGaussian;
import org.junit.jupiter.api.Test;

/** Rate, active units and per-unit moments of a dense latent (N, d), against closed forms. */
class VectorLatentStatisticsTest {
    @Test
    void aVectorLatentsUnitsAreItsChannels() {
        // 4 images, d = 3: unit 0 varies (variance 1.25 > 0.01), unit 1 is constant, unit 2 barely moves
        float[] mu = {
            -1.5f, 0.2f, 0.00f,
            -0.5f, 0.2f, 0.01f,
            0.5f, 0.2f, 0.02f,
            1.5f, 0.2f, 0.03f};
        float[] logvar = {0, -1, 0.5f, 0, -1, 0.5f, 0, -1, 0.5f, 0, -1, 0.5f};
        double klNats = 0;
        for (int i = 0; i < mu.length; i++) {
            klNats += 0.5 * (mu[i] * mu[i] + Math.exp(logvar[i]) - 1 - logvar[i]);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            Shape s = new Shape(4, 3);
            DiagonalGaussian q = new DiagonalGaussian(m.create(mu, s), m.create(logvar, s));
            LatentStatistics stats = LatentStatistics.forShape(3);
            stats.accept(q.mean().toFloatArray(), q.kl().toFloatArray());
            assertEquals(klNats / 4 / Math.log(2), stats.rateBitsPerImage(), 1e-5);
            assertEquals(klNats / 4 / Math.log(2) / 3, stats.rateBitsPerElement(), 1e-5);
            assertEquals(3, stats.elements());
            assertEquals(1, stats.activeUnits());
            assertArrayEquals(new double[] {1.25, 0, 1.25e-4}, stats.unitActivity(), 1e-6);
            assertArrayEquals(new double[] {0, 0.2, 0.015}, stats.channelMean(), 1e-6);
            assertArrayEquals(new double[] {Math.sqrt(1.25), 0, Math.sqrt(1.25e-4)}, stats.channelStd(), 1e-6);
        }
        assertEquals(2 * 4 * 4, LatentStatistics.forShape(2, 4, 4).elements());
        assertThrows(IllegalArgumentException.class, () -> LatentStatistics.forShape(2, 4));
    }
}
