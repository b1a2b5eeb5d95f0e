package ldm4j.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReconstructionMetricsTest {
    private static final double C1 = Math.pow(0.01, 2);
    private static final double C2 = Math.pow(0.03, 2);

    @Test
    void psnrOfIdenticalImagesIsPositiveInfinity() {
        float[] x = noise(2 * 3 * 8 * 8, 1, 0, 1);
        assertEquals(Double.POSITIVE_INFINITY, ReconstructionMetrics.psnr(x, x.clone(), 2, 3, 8, 8, 1.0));
        assertEquals(Double.POSITIVE_INFINITY, ReconstructionMetrics.psnrOfMse(0, 2.0));
    }

    @Test
    void knownMseGivesKnownPsnr() {
        float[] a = new float[3 * 4 * 4];
        float[] b = new float[a.length];
        Arrays.fill(b, 0.1f);
        // MSE = 0.01: 10·log₁₀(1 / 0.01) = 20 dB for L = 1; for L = 2 add 20·log₁₀ 2.
        assertEquals(20.0, ReconstructionMetrics.psnr(a, b, 1, 3, 4, 4, 1.0), 1e-6);
        assertEquals(20.0 + 20 * Math.log10(2), ReconstructionMetrics.psnr(a, b, 1, 3, 4, 4, 2.0), 1e-6);
    }

    @Test
    void psnrIsMeanOfPerImagePsnrNotPsnrOfMeanMse() {
        // Image 0 off by 0.1 (MSE 1e-2, 20 dB), image 1 off by 0.01 (MSE 1e-4, 40 dB): mean 30 dB.
        // PSNR of the mean MSE would be 10·log₁₀(1 / 0.00505) ≈ 22.97 dB.
        float[] a = new float[2 * 16];
        float[] b = new float[a.length];
        Arrays.fill(b, 0, 16, 0.1f);
        Arrays.fill(b, 16, 32, 0.01f);
        assertEquals(30.0, ReconstructionMetrics.psnr(a, b, 2, 1, 4, 4, 1.0), 1e-5);
    }

    @Test
    void ssimOfIdenticalImagesIsOne() {
        float[] x = noise(2 * 3 * 16 * 16, 2, 0, 2);
        assertEquals(1.0, ReconstructionMetrics.ssim(x, x.clone(), 2, 3, 16, 16, 2.0), 1e-12);
    }

    @Test
    void ssimDecreasesAsNoiseGrows() {
        float[] x = smoothImage(2, 24, 24);
        double previous = 1.0;
        for (double std : new double[] {0.01, 0.03, 0.1, 0.3}) {
            float[] y = x.clone();
            SplittableRandom rng = new SplittableRandom(3);
            for (int i = 0; i < y.length; i++) {
                y[i] = (float) Math.min(1, Math.max(0, y[i] + std * rng.nextGaussian()));
            }
            double s = ReconstructionMetrics.ssim(x, y, 2, 1, 24, 24, 1.0);
            assertTrue(s < previous, "SSIM at noise σ = " + std + " was " + s + ", not below " + previous);
            previous = s;
        }
    }

    @Test
    void ssimIsSymmetric() {
        float[] x = noise(3 * 13 * 17, 4, 0, 1);
        float[] y = noise(3 * 13 * 17, 5, 0, 1);
        for (int i = 0; i < x.length; i++) {
            y[i] = 0.7f * x[i] + 0.3f * y[i];
        }
        double xy = ReconstructionMetrics.ssim(x, y, 1, 3, 13, 17, 1.0);
        assertEquals(xy, ReconstructionMetrics.ssim(y, x, 1, 3, 13, 17, 1.0), 1e-12);
    }

    /** One 11 × 11 window, σ_x = σ_y = 0: SSIM = (2pq + C₁) / (p² + q² + C₁) (Wang et al. eq. 6). */
    @Test
    void ssimOfFlatImagesIsTheLuminanceTerm() {
        float p = 0.2f;
        float q = 0.6f;
        float[] a = new float[121];
        float[] b = new float[121];
        Arrays.fill(a, p);
        Arrays.fill(b, q);
        double expected = (2.0 * p * q + C1) / ((double) p * p + (double) q * q + C1);
        assertEquals(expected, ReconstructionMetrics.ssim(a, b, 1, 1, 11, 11, 1.0), 1e-12);
    }

    /**
     * For y = a·x + b on one 11 × 11 window: μ_y = aμ_x + b, σ_y² = a²σ_x², σ_xy = aσ_x², so
     * SSIM = (2μ_xμ_y + C₁)(2aσ_x² + C₂) / ((μ_x² + μ_y² + C₁)((1 + a²)σ_x² + C₂)). The weighted
     * moments come from a 2-D Gaussian built here directly, not from the separable filter. A
     * negative gain gives a negative SSIM.
     */
    @Test
    void ssimOfAffineCopyMatchesClosedForm() {
        float[] x = noise(121, 6, 0, 1);
        double[] w = new double[121];
        double total = 0;
        for (int i = 0; i < 11; i++) {
            for (int j = 0; j < 11; j++) {
                w[i * 11 + j] = Math.exp(-((i - 5) * (i - 5) + (j - 5) * (j - 5)) / (2 * 1.5 * 1.5));
                total += w[i * 11 + j];
            }
        }
        double mu = 0;
        double ex2 = 0;
        for (int i = 0; i < 121; i++) {
            mu += w[i] / total * x[i];
            ex2 += w[i] / total * x[i] * x[i];
        }
        double var = ex2 - mu * mu;
        for (double[] gainOffset : new double[][] {{0.5, 0.2}, {0.7, 0.3}, {-1.0, 1.0}}) {
            double a = gainOffset[0];
            double b = gainOffset[1];
            float[] y = new float[121];
            for (int i = 0; i < 121; i++) {
                y[i] = (float) (a * x[i] + b);
            }
            double muY = a * mu + b;
            double expected = (2 * mu * muY + C1) * (2 * a * var + C2)
                    / ((mu * mu + muY * muY + C1) * ((1 + a * a) * var + C2));
            double actual = ReconstructionMetrics.ssim(x, y, 1, 1, 11, 11, 1.0);
            assertEquals(expected, actual, 1e-6, "y = " + a + "·x + " + b);
            if (a < 0) {
                assertTrue(actual < 0, "an inverted copy must score below 0, got " + actual);
            }
        }
    }

    @Test
    void imagesSmallerThanTheWindowMismatchedLengthsAndEmptyRangesAreRejected() {
        float[] tiny = new float[100];
        assertThrows(IllegalArgumentException.class, () -> ReconstructionMetrics.ssim(tiny, tiny, 1, 1, 10, 10, 1.0));
        float[] short15 = new float[15];
        float[] full16 = new float[16];
        assertThrows(IllegalArgumentException.class,
                () -> ReconstructionMetrics.psnr(full16, short15, 1, 1, 4, 4, 1.0));
        assertThrows(IllegalArgumentException.class, () -> ReconstructionMetrics.psnr(full16, full16, 1, 1, 4, 4, 0));
    }

    /**
     * SSIM's luminance term takes 0 as black, so model-space [-1, 1] with L = 2 scores a different
     * (higher, on dark images) SSIM than the same pixels in [0, L]: such input is refused, not scored.
     */
    @Test
    void ssimRefusesValuesOutsideZeroToRange() {
        float[] x = smoothImage(1, 12, 12);
        float[] shifted = x.clone();
        for (int i = 0; i < shifted.length; i++) {
            shifted[i] = 2 * shifted[i] - 1;
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReconstructionMetrics.ssim(shifted, shifted, 1, 1, 12, 12, 2.0));
        assertTrue(e.getMessage().contains("[0, 2.0]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ReconstructionMetrics.ssim(x, x, 1, 1, 12, 12, 0.5));
        float[] nan = x.clone();
        nan[7] = Float.NaN;
        assertThrows(IllegalArgumentException.class, () -> ReconstructionMetrics.ssim(x, nan, 1, 1, 12, 12, 1.0));
    }

    /** uint8 pixels are scored as floats 0 … 255 with L = 255, bytes read unsigned. */
    @Test
    void uint8OverloadsScorePixelsWithRange255() {
        float[] x = smoothImage(2 * 3, 12, 12);
        byte[] a = new byte[x.length];
        byte[] b = new byte[x.length];
        float[] fa = new float[x.length];
        float[] fb = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            int p = Math.round(x[i] * 255);
            int q = Math.min(255, p + (i % 5 == 0 ? 9 : 0));
            a[i] = (byte) p;
            b[i] = (byte) q;
            fa[i] = p;
            fb[i] = q;
        }
        assertEquals(ReconstructionMetrics.psnr(fa, fb, 2, 3, 12, 12, 255), ReconstructionMetrics.psnr(a, b, 2, 3, 12, 12),
                0);
        assertEquals(ReconstructionMetrics.ssim(fa, fb, 2, 3, 12, 12, 255), ReconstructionMetrics.ssim(a, b, 2, 3, 12, 12),
                0);
    }

    private static float[] noise(int size, long seed, double lo, double hi) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) rng.nextDouble(lo, hi);
        }
        return x;
    }

    /** Planes of slowly varying sinusoids in [0, 1], so noise is what lowers SSIM. */
    private static float[] smoothImage(int planes, int h, int w) {
        float[] x = new float[planes * h * w];
        for (int p = 0; p < planes; p++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    x[(p * h + i) * w + j] = (float) (0.5 + 0.4 * Math.sin(0.3 * i + p) * Math.cos(0.2 * j));
                }
            }
        }
        return x;
    }
}
