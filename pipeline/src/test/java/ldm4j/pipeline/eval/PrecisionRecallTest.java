package ldm4j.pipeline.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PrecisionRecallTest {
    private static final int D = 4;

    @Test
    void identicalSetsHavePrecisionAndRecallOne() {
        double[][] x = fourModes(new int[] {0, 1, 2, 3}, 100, 1);
        PrecisionRecall pr = PrecisionRecall.of(x, x);
        assertEquals(1.0, pr.precision(), 0);
        assertEquals(1.0, pr.recall(), 0);
        assertEquals(3, pr.k());
    }

    @Test
    void farShiftedClusterHasPrecisionAndRecallZero() {
        double[][] real = GaussianSamples.isotropic(new double[D], 1.0, 300, 2);
        double[][] generated = GaussianSamples.isotropic(new double[] {100, 0, 0, 0}, 1.0, 300, 3);
        PrecisionRecall pr = PrecisionRecall.of(real, generated);
        assertEquals(0.0, pr.precision(), 0);
        assertEquals(0.0, pr.recall(), 0);
    }

    /**
     * Real data: 4 modes (500 points each) 50 σ apart. Generated: 2 of them (1,000 points). A fresh
     * sample of one mode lands on another sample's k = 3 manifold about 94% of the time in D = 4,
     * so precision ≈ 0.94 and recall ≈ 0.5 · 0.94 = 0.47; recall can never pass 0.5 because half
     * the real points sit in modes the generator misses.
     */
    @Test
    void generatorCoveringHalfTheModesHasHighPrecisionAndHalfRecall() {
        double[][] real = fourModes(new int[] {0, 1, 2, 3}, 500, 10);
        double[][] generated = fourModes(new int[] {0, 1}, 1000, 20);
        PrecisionRecall pr = PrecisionRecall.of(real, generated);
        assertTrue(pr.precision() > 0.9, "precision " + pr.precision());
        assertTrue(pr.recall() > 0.42 && pr.recall() <= 0.5, "recall " + pr.recall());
    }

    @Test
    void swappingRealAndGeneratedSwapsPrecisionAndRecall() {
        double[][] a = fourModes(new int[] {0, 1, 2}, 200, 30);
        double[][] b = fourModes(new int[] {1, 2, 3}, 150, 40);
        PrecisionRecall ab = PrecisionRecall.of(a, b);
        PrecisionRecall ba = PrecisionRecall.of(b, a);
        assertEquals(ab.precision(), ba.recall(), 0);
        assertEquals(ab.recall(), ba.precision(), 0);
    }

    /** Unit-variance Gaussian modes centred at +50·e₀, +50·e₁, +50·e₂, +50·e₃. */
    private static double[][] fourModes(int[] modes, int perMode, long seed) {
        double[][] out = new double[modes.length * perMode][];
        int r = 0;
        for (int mode : modes) {
            double[] centre = new double[D];
            centre[mode] = 50;
            for (double[] row : GaussianSamples.isotropic(centre, 1.0, perMode, seed + mode)) {
                out[r++] = row;
            }
        }
        return out;
    }
}
