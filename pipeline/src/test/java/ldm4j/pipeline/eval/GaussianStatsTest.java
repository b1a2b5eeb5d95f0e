package ldm4j.pipeline.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.junit.jupiter.api.Test;

class GaussianStatsTest {

    @Test
    void covarianceIsUnbiasedWithNMinusOne() {
        // Centred rows (−2, 0), (0, 2), (2, −2): sums 8, 8, −4, divided by N − 1 = 2.
        GaussianStats s = GaussianStats.of(new double[][] {{0, 0}, {2, 2}, {4, -2}});
        assertEquals(3, s.count());
        assertArrayEquals(new double[] {2, 0}, s.mean(), 1e-15);
        assertArrayEquals(new double[] {4, -2}, s.covariance()[0], 1e-15);
        assertArrayEquals(new double[] {-2, 4}, s.covariance()[1], 1e-15);
    }

    @Test
    void statsOfAMatrixEqualStatsOfItsRows() {
        double[][] rows = GaussianSamples.isotropic(new double[] {1, -1}, 2.0, 20, 3);
        assertEquals(GaussianStats.of(rows), GaussianStats.of(new Array2DRowRealMatrix(rows)));
    }

    @Test
    void covarianceKeepsPrecisionForFeaturesWithLargeMean() {
        // Variance 1 on top of a mean of 1e8: E[x²] − μ² would lose every digit here.
        GaussianStats s = GaussianStats.of(new double[][] {{1e8 - 1}, {1e8}, {1e8 + 1}});
        assertEquals(1.0, s.covariance()[0][0], 1e-12);
    }

    @Test
    void jsonRoundTripGivesEqualStats() throws Exception {
        GaussianStats s = GaussianStats.of(GaussianSamples.isotropic(new double[] {1, 2, 3}, 0.5, 50, 1));
        ObjectMapper json = new ObjectMapper();
        GaussianStats back = json.readValue(json.writeValueAsString(s), GaussianStats.class);
        assertEquals(s, back);
        assertEquals(0.0, FrechetDistance.between(s, back), 0.0);
    }

    @Test
    void callersCannotChangeCachedStats() {
        double[] mean = {1, 2};
        double[][] cov = {{1, 0}, {0, 1}};
        GaussianStats s = new GaussianStats(10, mean, cov);
        mean[0] = 99;
        cov[0][0] = 99;
        s.mean()[1] = 99;
        s.covariance()[1][1] = 99;
        assertArrayEquals(new double[] {1, 2}, s.mean());
        assertArrayEquals(new double[] {1, 1}, new double[] {s.covariance()[0][0], s.covariance()[1][1]});
    }

    @Test
    void mismatchedShapesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new GaussianStats(10, new double[2], new double[3][3]));
        double[][] ragged = {{1, 0}, {0}};
        assertThrows(IllegalArgumentException.class, () -> new GaussianStats(10, new double[2], ragged));
        assertThrows(IllegalArgumentException.class, () -> new GaussianStats(1, new double[1], new double[1][1]));
        assertThrows(IllegalArgumentException.class, () -> GaussianStats.of(new double[][] {{1, 2}, {3}}));
    }
}
