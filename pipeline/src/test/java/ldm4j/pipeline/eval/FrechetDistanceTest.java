package ldm4j.pipeline.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.commons.math3.exception.MaxCountExceededException;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

class FrechetDistanceTest {

    /**
     * √Σ₁Σ₂√Σ₁ from the FD bootstrap of an f-sweep progress point (128 × 128, rank 91, float64
     * little-endian, row by row): Commons Math's EigenDecomposition gave up on it ("convergence
     * failed") and the whole sweep stopped.
     */
    private static RealMatrix notConverging() throws IOException {
        byte[] raw;
        try (InputStream in = FrechetDistanceTest.class.getResourceAsStream("/eval/eigen-no-convergence-128x128-f64le.bin")) {
            raw = in.readAllBytes();
        }
        int d = 128;
        assertEquals(d * d * Double.BYTES, raw.length);
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        double[][] m = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                m[i][j] = b.getDouble();
            }
        }
        return new Array2DRowRealMatrix(m, false);
    }

    @Test
    void aMatrixCommonsMathCannotDecomposeStillGivesTheTraceOfItsRoot() throws IOException {
        RealMatrix m = notConverging();
        assertThrows(MaxCountExceededException.class, () -> new EigenDecomposition(m), "the case this test is about");
        // numpy: np.sqrt(np.clip(np.linalg.eigvalsh(m), 0, None)).sum(). 37 eigenvalues are zero up to
        // rounding (|λ| ≈ 1e-14), so any two methods differ by up to 37 · √1e-14 ≈ 4e-6 in the sum.
        double numpy = 141.67485505560208;
        RealMatrix identity = MatrixUtils.createRealIdentityMatrix(m.getRowDimension());
        assertEquals(numpy, FrechetDistance.traceSqrtOfProduct(identity, m), 4e-6);
    }

    @Test
    void theRootOfAMatrixCommonsMathCannotDecomposeSquaresBackToIt() throws IOException {
        RealMatrix m = notConverging();
        RealMatrix root = FrechetDistance.sqrtPsd(m);
        double error = root.multiply(root).subtract(m).getNorm();
        assertTrue(error < 1e-9 * m.getNorm(), "‖√M·√M − M‖ = " + error + " against ‖M‖ = " + m.getNorm());
    }

    @Test
    void fdOfASetWithItselfIsZero() {
        double[][] a = GaussianSamples.draw(new double[16], GaussianSamples.randomCovariance(16, 0.1, 7), 500, 1);
        double scale = 2 * GaussianStats.of(a).covarianceMatrix().getTrace();
        assertTrue(FrechetDistance.between(a, a) / scale < 1e-6, "FD(a, a) relative to Tr Σ must vanish");
    }

    @Test
    void fdOfATranslatedCopyIsTheSquaredShift() {
        double[][] a = GaussianSamples.draw(new double[8], GaussianSamples.randomCovariance(8, 0.1, 3), 300, 2);
        double[] shift = {1, -2, 0.5, 0, 3, -1, 0.25, 2};
        double[][] b = new double[a.length][];
        for (int r = 0; r < a.length; r++) {
            b[r] = a[r].clone();
            for (int i = 0; i < shift.length; i++) {
                b[r][i] += shift[i];
            }
        }
        double squaredShift = Arrays.stream(shift).map(x -> x * x).sum();
        // Same covariance, so the trace term cancels and only ‖Δμ‖² is left.
        assertEquals(squaredShift, FrechetDistance.between(a, b), 1e-9 * squaredShift);
    }

    /**
     * D = 8, N = 20,000 per set, dense non-commuting Σ₁, Σ₂ and a mean shift; true FD ≈ 5.43.
     * Over 40 seeds the estimate's error had std 0.038 and max 0.092, so the tolerance is 0.2
     * (≈ 5σ). This checks that moments estimated from samples reach the closed form; the closed
     * form itself is checked exactly by the diagonal and 2 × 2 tests below.
     */
    @Test
    void fdOfGaussianSamplesMatchesClosedFormOfTrueGaussiansWithinSamplingError() {
        int d = 8;
        double[] mu1 = new double[d];
        double[] mu2 = new double[d];
        for (int i = 0; i < d; i++) {
            mu2[i] = i % 2 == 0 ? 0.5 : -0.25;
        }
        double[][] sigma1 = GaussianSamples.randomCovariance(d, 0.05, 1);
        double[][] sigma2 = GaussianSamples.randomCovariance(d, 0.05, 2);
        double truth = FrechetDistance.ofGaussians(mu1, sigma1, mu2, sigma2);

        double estimate = FrechetDistance.between(
                GaussianSamples.draw(mu1, sigma1, 20_000, 11), GaussianSamples.draw(mu2, sigma2, 20_000, 12));

        assertEquals(truth, estimate, 0.2);
    }

    @Test
    void closedFormOfDiagonalGaussiansIsSquaredMeanShiftPlusSquaredRootDifferences() {
        double[] mu1 = {0, 1, 2};
        double[] mu2 = {1, 1, -1};
        double[] a = {4, 1, 0.25};
        double[] b = {1, 9, 0.25};
        // ‖Δμ‖² = 1 + 0 + 9; Σ(√a − √b)² = (2−1)² + (1−3)² + 0 = 5.
        double expected = 10 + 5;
        assertEquals(expected, FrechetDistance.ofGaussians(mu1, diag(a), mu2, diag(b)), 1e-12 * expected);
    }

    /**
     * For 2 × 2 PSD M with eigenvalues λ₁, λ₂: (√λ₁ + √λ₂)² = Tr M + 2√det M. With M similar to
     * Σ₁Σ₂ that gives Tr(Σ₁Σ₂)^{1/2} = √(Tr(Σ₁Σ₂) + 2√(det Σ₁ det Σ₂)), an independent check of
     * the trace term on covariances that do not commute.
     */
    @Test
    void traceSqrtOfNonCommutingTwoByTwoProductMatchesDeterminantIdentity() {
        RealMatrix s1 = new Array2DRowRealMatrix(new double[][] {{2, 0.9}, {0.9, 1}});
        RealMatrix s2 = new Array2DRowRealMatrix(new double[][] {{0.5, -0.3}, {-0.3, 3}});
        double det1 = 2 * 1 - 0.9 * 0.9;
        double det2 = 0.5 * 3 - 0.3 * 0.3;
        double expected = Math.sqrt(s1.multiply(s2).getTrace() + 2 * Math.sqrt(det1 * det2));

        assertEquals(expected, FrechetDistance.traceSqrtOfProduct(s1, s2), 1e-12);
        double fd = FrechetDistance.ofGaussians(new double[2], s1.getData(), new double[] {1, 0}, s2.getData());
        assertEquals(1 + s1.getTrace() + s2.getTrace() - 2 * expected, fd, 1e-12);
    }

    @Test
    void fdIsSymmetric() {
        double[][] a = GaussianSamples.draw(new double[6], GaussianSamples.randomCovariance(6, 0.1, 4), 400, 5);
        double[][] sigmaB = GaussianSamples.randomCovariance(6, 0.3, 6);
        double[][] b = GaussianSamples.draw(new double[] {1, 0, 0, 0, 0, 2}, sigmaB, 300, 7);
        double ab = FrechetDistance.between(a, b);
        assertEquals(ab, FrechetDistance.between(b, a), 1e-9 * ab);
    }

    @Test
    void fdIsInvariantToPermutationOfSamples() {
        double[][] a = GaussianSamples.draw(new double[6], GaussianSamples.randomCovariance(6, 0.1, 8), 400, 9);
        double[][] sigmaB = GaussianSamples.randomCovariance(6, 0.2, 10);
        double[][] b = GaussianSamples.draw(new double[] {0, 1, 0, 1, 0, 1}, sigmaB, 400, 11);
        List<double[]> rows = new ArrayList<>(Arrays.asList(b));
        Collections.shuffle(rows, new Random(12));
        double[][] shuffled = rows.toArray(double[][]::new);

        double fd = FrechetDistance.between(a, b);
        assertEquals(fd, FrechetDistance.between(a, shuffled), 1e-9 * fd);
    }

    @Test
    void fewerSamplesThanDimensionsGiveFiniteNonNegativeFd() {
        // N = 10 < D = 32: both covariances have rank ≤ 9.
        double[][] a = GaussianSamples.isotropic(new double[32], 1.0, 10, 13);
        double[][] b = GaussianSamples.isotropic(new double[32], 2.0, 10, 14);
        double fd = FrechetDistance.between(a, b);
        assertTrue(Double.isFinite(fd) && fd >= 0, "FD was " + fd);
        assertTrue(FrechetDistance.between(a, a) < 1e-6 * fd, "FD(a, a) must stay ≈ 0 when Σ is singular");
    }

    @Test
    void rankDeficientFeaturesGiveFiniteNonNegativeFd() {
        // D = 12 with 4 constant columns and 4 columns that copy others: rank 4.
        double[][] a = rankDeficient(GaussianSamples.isotropic(new double[4], 1.0, 200, 15));
        double[][] b = rankDeficient(GaussianSamples.isotropic(new double[] {1, 0, 0, 0}, 0.5, 200, 16));
        double fd = FrechetDistance.between(a, b);
        assertTrue(Double.isFinite(fd) && fd >= 0, "FD was " + fd);
        assertTrue(FrechetDistance.between(b, b) < 1e-6 * fd, "FD(b, b) must stay ≈ 0 when Σ is singular");
    }

    @Test
    void sqrtOfRankDeficientCovarianceSquaresBackToIt() {
        RealMatrix sigma = GaussianStats.of(rankDeficient(GaussianSamples.isotropic(new double[4], 1.0, 50, 17)))
                .covarianceMatrix();
        RealMatrix root = FrechetDistance.sqrtPsd(sigma);
        assertTrue(root.multiply(root).subtract(sigma).getFrobeniusNorm() < 1e-10 * sigma.getFrobeniusNorm());
        assertTrue(root.subtract(root.transpose()).getFrobeniusNorm() < 1e-12, "√Σ must be symmetric");
    }

    @Test
    void sqrtClampsEigenvaluesThatRoundingPushedBelowZero() {
        // diag(4, −1e−4) is what a PSD diag(4, 0) can become after rounding: its root is diag(2, 0).
        RealMatrix root = FrechetDistance.sqrtPsd(new Array2DRowRealMatrix(new double[][] {{4, 0}, {0, -1e-4}}));
        assertEquals(2.0, root.getEntry(0, 0), 1e-15);
        assertEquals(0.0, root.getEntry(1, 1), 0);
    }

    @Test
    void statsOfDifferentDimensionsAreRejected() {
        GaussianStats a = GaussianStats.of(new double[][] {{0, 1}, {1, 0}});
        GaussianStats b = GaussianStats.of(new double[][] {{0, 1, 2}, {1, 0, 2}});
        assertThrows(IllegalArgumentException.class, () -> FrechetDistance.between(a, b));
    }

    /** [x, 0, 3·x, −1] per row, with x the 4 given columns. */
    private static double[][] rankDeficient(double[][] x) {
        double[][] out = new double[x.length][12];
        for (int r = 0; r < x.length; r++) {
            for (int i = 0; i < 4; i++) {
                out[r][i] = x[r][i];
                out[r][4 + i] = 3 * x[r][i];
                out[r][8 + i] = -1;
            }
        }
        return out;
    }

    private static double[][] diag(double[] values) {
        double[][] m = new double[values.length][values.length];
        for (int i = 0; i < values.length; i++) {
            m[i][i] = values[i];
        }
        return m;
    }
}
