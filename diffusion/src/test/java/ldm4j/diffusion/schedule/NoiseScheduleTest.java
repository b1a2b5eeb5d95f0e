package ldm4j.diffusion.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NoiseScheduleTest {
    private static final int T = 1000;

    @ParameterizedTest
    @EnumSource(BetaSchedule.class)
    void alphaBarDecreasesStrictlyFromNearOneToNearZero(BetaSchedule kind) {
        NoiseSchedule s = NoiseSchedule.of(kind, T);
        double[] ab = s.alphaBar();
        for (int t = 1; t < T; t++) {
            assertTrue(ab[t] < ab[t - 1], kind + ": alphaBar not decreasing at t = " + t);
        }
        assertTrue(ab[0] > 0.998 && ab[0] < 1, kind + ": alphaBar_0 = " + ab[0]);
        assertTrue(ab[T - 1] > 0 && ab[T - 1] < 1e-3, kind + ": alphaBar_{T-1} = " + ab[T - 1]);
    }

    @Test
    void linearBetasRunFromOneEMinusFourToTwoHundredths() {
        double[] b = NoiseSchedule.of(BetaSchedule.LINEAR, T).betas();
        assertEquals(1e-4, b[0], 1e-15);
        assertEquals(0.02, b[T - 1], 1e-15);
        assertEquals(b[1] - b[0], b[T - 1] - b[T - 2], 1e-15);
    }

    @Test
    void scaledLinearBetasAreSquaresOfALinspaceBetweenLdmEndpoints() {
        double[] b = NoiseSchedule.of(BetaSchedule.SCALED_LINEAR, T).betas();
        assertEquals(0.0015, b[0], 1e-15);
        assertEquals(0.0195, b[T - 1], 1e-15);
        double step = (Math.sqrt(0.0195) - Math.sqrt(0.0015)) / (T - 1);
        for (int t = 1; t < T; t++) {
            assertEquals(step, Math.sqrt(b[t]) - Math.sqrt(b[t - 1]), 1e-12, "sqrt(beta) increment at t = " + t);
        }
    }

    @Test
    void cosineAlphaBarMatchesClosedFormBeforeClipping() {
        NoiseSchedule s = NoiseSchedule.of(BetaSchedule.COSINE, T);
        double f0 = Math.pow(Math.cos(0.008 / 1.008 * Math.PI / 2), 2);
        int checked = 0;
        for (int i = 0; i < T; i++) {
            if (s.betas()[i] >= BetaSchedule.COSINE_MAX_BETA) {
                break;                                   // clipping starts: the closed form no longer holds
            }
            double paperT = i + 1;                       // table index i is the paper's t = i + 1
            double f = Math.pow(Math.cos((paperT / T + 0.008) / 1.008 * Math.PI / 2), 2);
            assertEquals(f / f0, s.alphaBar()[i], 1e-12 * Math.max(1, f / f0) + 1e-15, "t = " + paperT);
            checked++;
        }
        assertTrue(checked >= T - 1, "only " + checked + " steps before clipping");
    }

    @Test
    void cosineBetasAreClippedAtMaxBeta() {
        double[] b = NoiseSchedule.of(BetaSchedule.COSINE, T).betas();
        assertEquals(BetaSchedule.COSINE_MAX_BETA, b[T - 1], 0.0);
        for (double beta : b) {
            assertTrue(beta <= BetaSchedule.COSINE_MAX_BETA);
        }
    }

    /**
     * q(x_{t−1} | x_t, x_0) averaged over q(x_t | x_0) must give back q(x_{t−1} | x_0): mean coef1 +
     * coef2 √ᾱ_t = √ᾱ_{t−1} and variance coef2² (1 − ᾱ_t) + β̃_t = 1 − ᾱ_{t−1} (Ho et al. 2020, eq. 6–7).
     */
    @ParameterizedTest
    @EnumSource(BetaSchedule.class)
    void posteriorMarginalisesToForwardMarginal(BetaSchedule kind) {
        NoiseSchedule s = NoiseSchedule.of(kind, T);
        for (int t = 0; t < T; t++) {
            double abPrev = t == 0 ? 1.0 : s.alphaBar()[t - 1];
            assertEquals(Math.sqrt(abPrev),
                    s.posteriorMeanCoef1()[t] + s.posteriorMeanCoef2()[t] * s.sqrtAlphaBar()[t], 1e-12, "mean, t = " + t);
            double c2 = s.posteriorMeanCoef2()[t];
            assertEquals(1 - abPrev, c2 * c2 * (1 - s.alphaBar()[t]) + s.posteriorVariance()[t], 1e-12, "var, t = " + t);
        }
        assertEquals(0.0, s.posteriorVariance()[0], 0.0);
    }

    @ParameterizedTest
    @EnumSource(BetaSchedule.class)
    void snrIsAlphaBarOverOneMinusAlphaBarAndDecreasing(BetaSchedule kind) {
        NoiseSchedule s = NoiseSchedule.of(kind, T);
        for (int t = 0; t < T; t++) {
            double ab = s.alphaBar(t);
            assertEquals(ab / (1 - ab), s.snr(t), 1e-9 * s.snr(t));
            if (t > 0) {
                assertTrue(s.snr(t) < s.snr(t - 1));
            }
        }
        assertEquals(1.0, s.alphaBar(-1), 0.0);
    }

    @Test
    void qSampleHasForwardMarginalStatistics() {
        NoiseSchedule s = NoiseSchedule.of(BetaSchedule.LINEAR, T);
        int[] steps = {0, 10, 250, 500, 900, 999};
        float[] x0Values = {1.5f, -2f, 0.7f, 3f, -1f, 2f};
        int n = 8192;
        SplittableRandom random = new SplittableRandom(3);
        try (NDManager m = NDManager.newBaseManager()) {
            float[] x0 = new float[steps.length * n];
            float[] eps = new float[steps.length * n];
            for (int i = 0; i < steps.length; i++) {
                for (int j = 0; j < n; j++) {
                    x0[i * n + j] = x0Values[i];
                    eps[i * n + j] = (float) random.nextGaussian();
                }
            }
            Shape shape = new Shape(steps.length, n);
            NDArray xt = s.qSample(m.create(x0, shape), m.create(steps), m.create(eps, shape));
            for (int i = 0; i < steps.length; i++) {
                float[] row = xt.get(i).toFloatArray();
                double mean = 0;
                for (float v : row) {
                    mean += v;
                }
                mean /= n;
                double var = 0;
                for (float v : row) {
                    var += (v - mean) * (v - mean);
                }
                double std = Math.sqrt(var / (n - 1));
                double wantStd = s.sqrtOneMinusAlphaBar()[steps[i]];
                // five standard errors: σ/√n for the mean, σ/√(2n) for the std
                assertEquals(s.sqrtAlphaBar()[steps[i]] * x0Values[i], mean, 5 * wantStd / Math.sqrt(n) + 1e-6, "mean, t = " + steps[i]);
                assertEquals(wantStd, std, 5 * wantStd / Math.sqrt(2.0 * n) + 1e-6, "std, t = " + steps[i]);
            }
        }
    }

    @Test
    void extractGathersPerSampleAndBroadcasts() {
        NoiseSchedule s = NoiseSchedule.of(BetaSchedule.COSINE, T);
        try (NDManager m = NDManager.newBaseManager()) {
            for (NDArray t : new NDArray[] {m.create(new int[] {3, 999, 0}), m.create(new long[] {3, 999, 0})}) {
                NDArray c = s.extract(s.sqrtAlphaBar(), t, new Shape(3, 4, 5, 5));
                assertEquals(new Shape(3, 1, 1, 1), c.getShape());
                assertArrayEquals(new float[] {(float) s.sqrtAlphaBar()[3], (float) s.sqrtAlphaBar()[999],
                    (float) s.sqrtAlphaBar()[0]}, c.toFloatArray());
                NDArray x = m.ones(new Shape(3, 4, 5, 5)).mul(c);
                assertEquals((float) s.sqrtAlphaBar()[999], x.get(1, 3, 4, 4).getFloat());
            }
        }
    }

    @Test
    void extractRejectsOutOfRangeStepsAndBatchMismatch() {
        NoiseSchedule s = NoiseSchedule.of(BetaSchedule.LINEAR, T);
        try (NDManager m = NDManager.newBaseManager()) {
            assertThrows(IllegalArgumentException.class, () -> s.extract(s.betas(), m.create(new long[] {1000}), new Shape(1, 2)));
            assertThrows(IllegalArgumentException.class, () -> s.extract(s.betas(), m.create(new long[] {-1}), new Shape(1, 2)));
            assertThrows(IllegalArgumentException.class, () -> s.extract(s.betas(), m.create(new long[] {1, 2}), new Shape(3, 2)));
        }
    }

    @Test
    void fromStringAcceptsNamesAndRejectsOthersListingValidValues() {
        assertEquals(BetaSchedule.LINEAR, BetaSchedule.fromString("linear"));
        assertEquals(BetaSchedule.SCALED_LINEAR, BetaSchedule.fromString("scaled-linear"));
        assertEquals(BetaSchedule.COSINE, BetaSchedule.fromString("Cosine"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BetaSchedule.fromString("squaredcos_cap_v2"));
        assertTrue(e.getMessage().contains("linear, scaled-linear, cosine"), e.getMessage());
    }

    @Test
    void fromBetasRejectsBetasOutsideTheUnitInterval() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NoiseSchedule.fromBetas(new double[] {0.1, 1.0}));
        assertTrue(e.getMessage().contains("betas[1]"), e.getMessage());
    }

    /**
     * Stable Diffusion's bounds (diffusers' beta_start 0.00085, beta_end 0.012, scaled_linear): √β is
     * linear between the roots, so β_0 and β_{T−1} are the bounds, the middle step is the square of
     * the mean root, and ᾱ_{T−1} = ∏(1 − β) ≈ 0.0047 (SD's terminal value).
     */
    @Test
    void scaledLinearBetweenGivenBoundsIsStableDiffusionsSchedule() {
        double[] b = BetaSchedule.SCALED_LINEAR.betas(T, 0.00085, 0.012);
        assertEquals(0.00085, b[0], 1e-15);
        assertEquals(0.012, b[T - 1], 1e-15);
        double mid = Math.sqrt(0.00085) + (Math.sqrt(0.012) - Math.sqrt(0.00085)) * 500 / 999.0;
        assertEquals(mid * mid, b[500], 1e-15);
        assertEquals(0.0047, NoiseSchedule.fromBetas(b).alphaBar()[T - 1], 1e-4);
        // 0 keeps the schedule's own bound; linear takes bounds too
        assertArrayEquals(BetaSchedule.SCALED_LINEAR.betas(T), BetaSchedule.SCALED_LINEAR.betas(T, 0, 0));
        assertEquals(0.0015, BetaSchedule.SCALED_LINEAR.betas(T, 0, 0.012)[0], 1e-15);
        assertEquals(0.03, BetaSchedule.LINEAR.betas(T, 0, 0.03)[T - 1], 1e-15);
    }

    @Test
    void badBoundsAndBoundsOnCosineAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BetaSchedule.SCALED_LINEAR.betas(T, 0.02, 0.012));
        assertTrue(e.getMessage().contains("0 < beta_start < beta_end < 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BetaSchedule.LINEAR.betas(T, 0, 1.5));
        e = assertThrows(IllegalArgumentException.class, () -> BetaSchedule.COSINE.betas(T, 0.001, 0));
        assertTrue(e.getMessage().contains("cosine"), e.getMessage());
    }
}
