package ldm4j.pipeline.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatentGeometryTest {
    private static final int DIM = 8;
    private static final int N = 4000;

    @Test
    void standardNormalLatentsSitOnThePrior() {
        SplittableRandom r = new SplittableRandom(1);
        float[] z = new float[N * DIM];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) r.nextGaussian();
        }
        LatentGeometry g = LatentGeometry.of(z, DIM, 2);
        assertEquals(0, g.mean(), 0.02);
        assertEquals(1, g.std(), 0.02);
        assertEquals(0, g.excessKurtosis(), 0.1);
        assertTrue(g.klToNormal() < 0.01, "KL " + g.klToNormal());
        double integral = 0;
        for (double d : g.density()) {
            integral += d * (2 * LatentGeometry.RANGE / LatentGeometry.BINS);
        }
        assertEquals(1, integral, 1e-9);
    }

    /** A Laplace has excess kurtosis 3, and its histogram is measurably far from N(0, 1). */
    @Test
    void heavyTailedLatentsAreCalledSo() {
        SplittableRandom r = new SplittableRandom(3);
        float[] z = new float[N * DIM];
        double b = 1 / Math.sqrt(2); // unit variance
        for (int i = 0; i < z.length; i++) {
            double u = r.nextDouble() - 0.5;
            z[i] = (float) (-b * Math.signum(u) * Math.log(1 - 2 * Math.abs(u)));
        }
        LatentGeometry g = LatentGeometry.of(z, DIM, 2);
        assertEquals(1, g.std(), 0.03);
        assertEquals(3, g.excessKurtosis(), 0.4);
        assertTrue(g.klToNormal() > 0.03, "KL " + g.klToNormal());
    }

    /**
     * Latents spread along two known directions project onto them: the explained shares are the
     * variances' shares, and prior draws land as a unit-variance cloud around minus the latents'
     * centre on the same axes.
     */
    @Test
    void theProjectionFindsTheTwoDirectionsOfLargestSpread() {
        SplittableRandom r = new SplittableRandom(5);
        float[] z = new float[N * DIM];
        for (int i = 0; i < N; i++) {
            z[i * DIM] = (float) (3 + 4 * r.nextGaussian());
            z[i * DIM + 1] = (float) (2 * r.nextGaussian());
            for (int j = 2; j < DIM; j++) {
                z[i * DIM + j] = (float) (0.1 * r.nextGaussian());
            }
        }
        LatentGeometry g = LatentGeometry.of(z, DIM, 7);
        double total = 16 + 4 + 6 * 0.01;
        assertEquals(16 / total, g.explained()[0], 0.02);
        assertEquals(4 / total, g.explained()[1], 0.02);
        double priorFirst = 0;
        for (double[] p : g.prior()) {
            priorFirst += Math.abs(p[0]) / g.prior().length;
        }
        assertEquals(3, priorFirst, 0.15, "prior draws sit 3 below the latents' centre on the first axis");
        assertEquals(LatentGeometry.MAX_POINTS, g.latents().length);
    }

    @Test
    void tooFewLatentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> LatentGeometry.of(new float[DIM], DIM, 0));
        assertThrows(IllegalArgumentException.class, () -> LatentGeometry.of(new float[2 * DIM + 1], DIM, 0));
    }
}
