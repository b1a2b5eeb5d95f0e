package ldm4j.diffusion.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import ldm4j.diffusion.schedule.BetaSchedule;
import ldm4j.diffusion.schedule.NoiseSchedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ObjectiveTest {
    private static final NoiseSchedule LINEAR = NoiseSchedule.of(BetaSchedule.LINEAR);
    private static final long[] STEPS = {0, 1, 37, 250, 500, 750, 990, 999};
    private static final Shape SHAPE = new Shape(STEPS.length, 2, 3, 3);

    private static NDArray gaussian(NDManager m, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[(int) SHAPE.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return m.create(v, SHAPE);
    }

    private static float maxAbsDiff(NDArray a, NDArray b) {
        return a.sub(b).abs().max().getFloat();
    }

    @Test
    void epsX0AndVConversionsRoundTrip() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x0 = gaussian(m, 1);
            NDArray eps = gaussian(m, 2);
            NDArray t = m.create(STEPS);
            NDArray a = LINEAR.extract(LINEAR.sqrtAlphaBar(), t, SHAPE);
            NDArray s = LINEAR.extract(LINEAR.sqrtOneMinusAlphaBar(), t, SHAPE);
            NDArray xt = LINEAR.qSample(x0, t, eps);
            NDArray v = Parameterization.vFromX0Eps(x0, eps, a, s);
            // x0 from ε divides by √ᾱ_999 ≈ 0.0064: float32 error of x_t grows ~150×
            assertTrue(maxAbsDiff(Parameterization.x0FromEps(xt, eps, a, s), x0) < 2e-3);
            assertTrue(maxAbsDiff(Parameterization.epsFromX0(xt, x0, a, s), eps) < 2e-3);
            assertTrue(maxAbsDiff(Parameterization.x0FromV(xt, v, a, s), x0) < 1e-5);
            assertTrue(maxAbsDiff(Parameterization.epsFromV(xt, v, a, s), eps) < 1e-5);
            for (Prediction p : Prediction.values()) {
                NDArray out = p.target(LINEAR, x0, eps, t);
                assertTrue(maxAbsDiff(p.toX0(LINEAR, xt, out, t), x0) < 2e-3, p + " toX0");
                assertTrue(maxAbsDiff(p.toEps(LINEAR, xt, out, t), eps) < 2e-3, p + " toEps");
                assertTrue(maxAbsDiff(p.fromEps(LINEAR, xt, eps, t), out) < 2e-3, p + " fromEps");
            }
        }
    }

    @Test
    void targetIsNoiseForEpsAndVelocityForV() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x0 = gaussian(m, 3);
            NDArray eps = gaussian(m, 4);
            NDArray t = m.create(STEPS);
            assertEquals(0f, maxAbsDiff(Prediction.EPS.target(LINEAR, x0, eps, t), eps));
            NDArray v = Prediction.V.target(LINEAR, x0, eps, t);
            for (int i = 0; i < STEPS.length; i++) {
                int step = (int) STEPS[i];
                NDArray want = eps.get(i).mul(LINEAR.sqrtAlphaBar()[step]).sub(x0.get(i).mul(LINEAR.sqrtOneMinusAlphaBar()[step]));
                assertTrue(maxAbsDiff(v.get(i), want) < 1e-6, "v at t = " + step);
            }
            // √ᾱ_0 ≈ 1, so v ≈ ε at t = 0; √ᾱ_999 ≈ 0.006, so v ≈ −x0 at t = 999
            assertTrue(maxAbsDiff(v.get(STEPS.length - 1), x0.get(STEPS.length - 1).neg()) < 0.02);
            assertTrue(maxAbsDiff(v.get(0), eps.get(0)) < 0.04);
        }
    }

    /** Velocity of unit-variance data has unit variance: Var(a ε − s x_0) = a² + s² = 1. */
    @Test
    void velocityOfUnitGaussianDataHasUnitVariance() {
        try (NDManager m = NDManager.newBaseManager()) {
            int n = 20000;
            SplittableRandom r = new SplittableRandom(5);
            float[] x0 = new float[n];
            float[] eps = new float[n];
            long[] t = new long[n];
            for (int i = 0; i < n; i++) {
                x0[i] = (float) r.nextGaussian();
                eps[i] = (float) r.nextGaussian();
                t[i] = r.nextInt(1000);
            }
            NDArray v = Prediction.V.target(LINEAR, m.create(x0), m.create(eps), m.create(t));
            double var = v.square().mean().getFloat();
            assertEquals(1.0, var, 5 * Math.sqrt(2.0 / n));     // 5 standard errors of a variance estimate
        }
    }

    /**
     * Min-SNR-γ puts the same x_0-space weight min(SNR, γ) on both targets: an ε error is SNR times an
     * x_0 error and a v error is (SNR + 1) times one, so w_ε · SNR = w_v · (SNR + 1) = min(SNR, γ).
     */
    @ParameterizedTest
    @EnumSource(BetaSchedule.class)
    void minSnrGivesBothTargetsTheClampedX0Weight(BetaSchedule kind) {
        NoiseSchedule s = NoiseSchedule.of(kind);
        for (int t = 0; t < s.steps(); t++) {
            double snr = s.snr(t);
            double x0Weight = Math.min(snr, 5.0);
            assertEquals(x0Weight, LossWeighting.MIN_SNR.weight(s, Prediction.EPS, t) * snr, 1e-9 * x0Weight);
            assertEquals(x0Weight, LossWeighting.MIN_SNR.weight(s, Prediction.V, t) * (snr + 1), 1e-9 * x0Weight);
            assertTrue(LossWeighting.MIN_SNR.weight(s, Prediction.EPS, t) <= 1.0);
            if (snr <= 5) {
                assertEquals(1.0, LossWeighting.MIN_SNR.weight(s, Prediction.EPS, t), 0.0);
            }
            assertEquals(1.0, LossWeighting.UNIFORM.weight(s, Prediction.V, t), 0.0);
        }
    }

    @Test
    void weightArrayGathersPerSampleWeights() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = LossWeighting.MIN_SNR.weight(LINEAR, Prediction.EPS, m.create(new int[] {0, 999, 500}));
            assertEquals(new Shape(3), w.getShape());
            float[] got = w.toFloatArray();
            assertEquals(5.0 / LINEAR.snr(0), got[0], 1e-7);
            assertEquals(1.0, got[1], 0.0);
            assertEquals(Math.min(LINEAR.snr(500), 5) / LINEAR.snr(500), got[2], 1e-6);
            float[] uniform = LossWeighting.UNIFORM.weight(LINEAR, Prediction.V, m.create(new int[] {0, 999})).toFloatArray();
            assertEquals(1f, uniform[0]);
            assertEquals(1f, uniform[1]);
        }
    }

    @Test
    void lossIsZeroForThePerfectPredictionAndTheMeanWeightForAUnitError() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x0 = gaussian(m, 6);
            NDArray eps = gaussian(m, 7);
            NDArray t = m.create(STEPS);
            for (Prediction p : Prediction.values()) {
                Objective objective = new Objective(p, LossWeighting.MIN_SNR);
                NDArray target = p.target(LINEAR, x0, eps, t);
                assertEquals(0f, objective.loss(LINEAR, target, x0, eps, t).getFloat(), 1e-12);
                double meanWeight = LossWeighting.MIN_SNR.weight(LINEAR, p, t).mean().getFloat();
                assertEquals(meanWeight, objective.loss(LINEAR, target.add(1f), x0, eps, t).getFloat(), 1e-5);
            }
        }
    }

    @Test
    void fromStringAcceptsNamesAndRejectsOthersListingValidValues() {
        assertEquals(Prediction.EPS, Prediction.fromString("eps"));
        assertEquals(Prediction.V, Prediction.fromString("V"));
        assertEquals(LossWeighting.UNIFORM, LossWeighting.fromString("uniform"));
        assertEquals(LossWeighting.MIN_SNR, LossWeighting.fromString("min-snr"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Prediction.fromString("x0"));
        assertTrue(e.getMessage().contains("eps, v"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LossWeighting.fromString("snr"));
        assertTrue(e.getMessage().contains("uniform, min-snr"), e.getMessage());
    }
}
