package ldm4j.pipeline.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FeatureManifoldTest {
    private static final double[] LINE = {0, 1, 3, 6, 10};

    @Test
    void radiusIsDistanceToKthNeighbourNotCountingThePointItself() {
        // Gaps on the line 0, 1, 3, 6, 10 are 1, 2, 3, 4.
        assertArrayEquals(new double[] {1, 1, 2, 3, 4}, FeatureManifold.of(onAxis(LINE, 5, 0), 1).radii(), 0);
        assertArrayEquals(new double[] {3, 2, 3, 4, 7}, FeatureManifold.of(onAxis(LINE, 5, 0), 2).radii(), 0);
        // The same line on the last axis goes through the tail of the unrolled distance loop.
        assertArrayEquals(new double[] {3, 2, 3, 4, 7}, FeatureManifold.of(onAxis(LINE, 5, 4), 2).radii(), 0);
    }

    @Test
    void pointOnTheBoundaryOfABallIsInside() {
        FeatureManifold m = FeatureManifold.of(onAxis(LINE, 5, 0), 1);
        assertTrue(m.contains(onAxis(new double[] {14}, 5, 0)[0]), "10 + radius 4 is on the sphere");
        assertFalse(m.contains(onAxis(new double[] {14.5}, 5, 0)[0]));
        assertTrue(m.contains(onAxis(new double[] {-1}, 5, 0)[0]), "within 1 of the point 0");
        assertEquals(0.5, m.coverage(onAxis(new double[] {14, 14.5, -1, -1.5}, 5, 0)), 0);
    }

    /** 300 points and 77 queries end part-way through a 64-point block and a 32-query block. */
    @Test
    void blockedSearchMatchesBruteForce() {
        double[][] x = GaussianSamples.isotropic(new double[7], 1.0, 300, 1);
        double[][] q = GaussianSamples.isotropic(new double[7], 1.3, 77, 2);
        int k = 3;
        double[] expectedRadii = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double[] dist = new double[x.length - 1];
            int c = 0;
            for (int j = 0; j < x.length; j++) {
                if (j != i) {
                    dist[c++] = distance(x[i], x[j]);
                }
            }
            Arrays.sort(dist);
            expectedRadii[i] = dist[k - 1];
        }
        int inside = 0;
        for (double[] query : q) {
            for (int j = 0; j < x.length; j++) {
                if (distance(query, x[j]) <= expectedRadii[j]) {
                    inside++;
                    break;
                }
            }
        }

        FeatureManifold m = FeatureManifold.of(x, k);
        assertArrayEquals(expectedRadii, m.radii(), 1e-12);
        assertEquals((double) inside / q.length, m.coverage(q), 0);
        assertTrue(inside > 0 && inside < q.length, "the check needs queries both inside and outside");
    }

    @Test
    void kMustLeaveANeighbourToCount() {
        double[][] x = onAxis(LINE, 2, 0);
        assertThrows(IllegalArgumentException.class, () -> FeatureManifold.of(x, 0));
        assertThrows(IllegalArgumentException.class, () -> FeatureManifold.of(x, x.length));
        // k = N − 1 reaches the farthest point: 10, at distance 9 from the point 1.
        assertEquals(9, FeatureManifold.of(x, x.length - 1).radii()[1], 0);
    }

    @Test
    void queriesOfAnotherDimensionAreRejected() {
        FeatureManifold m = FeatureManifold.of(onAxis(LINE, 3, 0), 1);
        assertThrows(IllegalArgumentException.class, () -> m.coverage(new double[][] {{1, 2}}));
    }

    private static double[][] onAxis(double[] values, int d, int axis) {
        double[][] out = new double[values.length][d];
        for (int i = 0; i < values.length; i++) {
            out[i][axis] = values[i];
        }
        return out;
    }

    private static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }
}
