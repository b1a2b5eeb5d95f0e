package ldm4j.pipeline.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SharpnessTest {
    /**
     * 3 × 4 plane with one bright pixel (200 > 127, so a signed read would give −56). Valid
     * Laplacian responses: at (1, 1) −4·200 = −800, at (1, 2) the left neighbour 200. Mean −300,
     * population variance (500² + 500²) / 2 = 250,000.
     */
    private static final int[] HAND = {
        0, 0, 0, 0,
        0, 200, 0, 0,
        0, 0, 0, 0,
    };

    @Test
    void laplacianVarianceOfConstantImageIsZero() {
        byte[] grey = new byte[2 * 3 * 8 * 8];
        Arrays.fill(grey, (byte) 200);
        assertEquals(0.0, Sharpness.meanLaplacianVariance(grey, 2, 3, 8, 8), 0);
        float[] flat = new float[8 * 8];
        Arrays.fill(flat, -0.3f);
        assertEquals(0.0, Sharpness.meanLaplacianVariance(flat, 1, 1, 8, 8), 1e-24);
    }

    @Test
    void laplacianVarianceOfHandComputedCaseReadsBytesAsUnsigned() {
        assertEquals(250_000.0, Sharpness.meanLaplacianVariance(bytes(HAND), 1, 1, 3, 4), 0);
        assertEquals(250_000.0, Sharpness.meanLaplacianVariance(floats(HAND, 1), 1, 1, 3, 4), 0);
    }

    @Test
    void batchScoreIsMeanOverImagesAndChannels() {
        // Planes: HAND (250,000), flat (0), flat (0), HAND at half brightness (62,500).
        int[] planes = new int[4 * 12];
        System.arraycopy(HAND, 0, planes, 0, 12);
        for (int i = 0; i < 12; i++) {
            planes[36 + i] = HAND[i] / 2;
        }
        double expected = (250_000.0 + 0 + 0 + 62_500.0) / 4;
        assertEquals(expected, Sharpness.meanLaplacianVariance(bytes(planes), 2, 2, 3, 4), 0);
    }

    @Test
    void blurredImagesAreLessSharpThanTheOriginals() {
        int n = 3, h = 16, w = 16;
        SplittableRandom rng = new SplittableRandom(1);
        byte[] sharp = new byte[n * h * w];
        for (int i = 0; i < sharp.length; i++) {
            sharp[i] = (byte) rng.nextInt(256);
        }
        byte[] blurred = boxBlur(sharp, n, h, w);

        Sharpness s = Sharpness.of(blurred, n, sharp, n, 1, h, w);
        assertTrue(s.relative() < 1, "relative sharpness of the blurred set was " + s.relative());
        assertEquals(1.0, Sharpness.of(sharp, n, sharp, n, 1, h, w).relative(), 0);
    }

    @Test
    void relativeScoreAgainstFlatRealImagesIsRejected() {
        Sharpness s = Sharpness.of(bytes(HAND), 1, new byte[12], 1, 1, 3, 4);
        assertThrows(IllegalStateException.class, s::relative);
    }

    @Test
    void imagesTooSmallForTheKernelOrOfTheWrongLengthAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Sharpness.meanLaplacianVariance(new byte[4], 1, 1, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> Sharpness.meanLaplacianVariance(new byte[11], 1, 1, 3, 4));
    }

    /** 3 × 3 mean filter, edges clamped. */
    private static byte[] boxBlur(byte[] x, int n, int h, int w) {
        byte[] out = new byte[x.length];
        for (int img = 0; img < n; img++) {
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    int sum = 0;
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            int yy = Math.min(h - 1, Math.max(0, y + dy));
                            int xc = Math.min(w - 1, Math.max(0, xx + dx));
                            sum += x[img * h * w + yy * w + xc] & 0xFF;
                        }
                    }
                    out[img * h * w + y * w + xx] = (byte) Math.round(sum / 9.0f);
                }
            }
        }
        return out;
    }

    private static byte[] bytes(int[] v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    private static float[] floats(int[] v, float scale) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = v[i] * scale;
        }
        return f;
    }
}
