package ldm4j.diffusion.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ldm4j.diffusion.schedule.BetaSchedule;
import ldm4j.diffusion.schedule.NoiseSchedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The pure step functions against closed forms, with fixed inputs and fixed noise. */
class SamplerStepTest {
    private static final Shape SHAPE = new Shape(64, 1, 2, 2);

    private static float maxAbsDiff(NDArray a, NDArray b) {
        return a.sub(b).abs().max().getFloat();
    }

    /** DDIM's σ(η = 1)² of eq. 16 is DDPM's β̃_t of eq. 7 for every consecutive pair (Song et al. 2021, §4.1). */
    @ParameterizedTest
    @EnumSource(BetaSchedule.class)
    void ddimWithEtaOneHasDdpmPosteriorVariance(BetaSchedule kind) {
        NoiseSchedule s = NoiseSchedule.of(kind);
        for (int t = 0; t < s.steps(); t++) {
            double sigma = DdimSampler.sigma(s, t, t - 1, 1.0);
            assertEquals(s.posteriorVariance()[t], sigma * sigma, 1e-12 * Math.max(1, s.posteriorVariance()[t]), "t = " + t);
            assertEquals(s.posteriorVariance()[t], DdpmSampler.posteriorVariance(s, t, t - 1), 1e-12, "t = " + t);
        }
        assertEquals(0.0, DdimSampler.sigma(s, 500, 499, 0.0), 0.0);
    }

    /**
     * With the same x_t, x̂_0 (and the ε consistent with them) and the same noise, a DDIM step with η = 1
     * is the DDPM ancestral step, for consecutive and for strided step pairs.
     */
    @ParameterizedTest
    @EnumSource(BetaSchedule.class)
    void ddimStepWithEtaOneIsTheDdpmStep(BetaSchedule kind) {
        NoiseSchedule s = NoiseSchedule.of(kind);
        try (NDManager m = NDManager.newBaseManager()) {
            GaussianNoise noise = new GaussianNoise(11);
            int[][] pairs = {{999, 998}, {500, 499}, {1, 0}, {0, -1}, {950, 900}, {300, 250}, {49, -1}};
            for (int[] pair : pairs) {
                int t = pair[0];
                int tPrev = pair[1];
                NDArray xt = noise.next(m, SHAPE);
                NDArray x0 = noise.next(m, SHAPE).mul(0.5).add(1);
                // ε = (x_t − √ᾱ x̂_0)/√(1 − ᾱ)
                NDArray eps = xt.sub(x0.mul(s.sqrtAlphaBar()[t])).div(s.sqrtOneMinusAlphaBar()[t]);
                NDArray z = noise.next(m, SHAPE);
                NDArray ddim = DdimSampler.step(s, x0, eps, t, tPrev, 1.0, z);
                NDArray ddpm = DdpmSampler.step(s, xt, x0, t, tPrev, z);
                assertTrue(maxAbsDiff(ddim, ddpm) < 2e-5, "t = " + t + " -> " + tPrev + ": " + maxAbsDiff(ddim, ddpm));
            }
        }
    }

    /** For consecutive steps the DDPM step uses exactly the schedule's eq. 7 tables. */
    @Test
    void ddpmStepOnConsecutiveStepsUsesTheScheduleTables() {
        NoiseSchedule s = NoiseSchedule.of(BetaSchedule.LINEAR);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray ones = m.ones(new Shape(1));
            NDArray zeros = m.zeros(new Shape(1));
            for (int t : new int[] {999, 500, 10, 1}) {
                assertEquals(s.posteriorMeanCoef1()[t], DdpmSampler.step(s, zeros, ones, t, t - 1, zeros).getFloat(), 1e-7);
                assertEquals(s.posteriorMeanCoef2()[t], DdpmSampler.step(s, ones, zeros, t, t - 1, zeros).getFloat(), 1e-7);
                assertEquals(Math.sqrt(s.posteriorVariance()[t]), DdpmSampler.step(s, zeros, zeros, t, t - 1, ones).getFloat(), 1e-7);
            }
            // the last step returns x̂_0 and draws no noise
            assertEquals(1f, DdpmSampler.step(s, zeros, ones, 0, -1, null).getFloat(), 1e-6);
        }
    }

    /** Without history DPM-Solver++ is first order, and its first-order update is DDIM with η = 0. */
    @Test
    void dpmSolverFirstStepIsDdimWithEtaZero() {
        NoiseSchedule s = NoiseSchedule.of(BetaSchedule.COSINE);
        try (NDManager m = NDManager.newBaseManager()) {
            GaussianNoise noise = new GaussianNoise(12);
            for (int[] pair : new int[][] {{999, 949}, {500, 450}, {60, 10}}) {
                int t = pair[0];
                int tPrev = pair[1];
                NDArray xt = noise.next(m, SHAPE);
                NDArray x0 = noise.next(m, SHAPE);
                NDArray eps = xt.sub(x0.mul(s.sqrtAlphaBar()[t])).div(s.sqrtOneMinusAlphaBar()[t]);
                DpmSolverPP2M.Result dpm = DpmSolverPP2M.step(s, xt, x0, t, tPrev, null);
                NDArray ddim = DdimSampler.step(s, x0, eps, t, tPrev, 0.0, null);
                assertTrue(maxAbsDiff(dpm.x(), ddim) < 1e-4, "t = " + t + ": " + maxAbsDiff(dpm.x(), ddim));
                assertSame(x0, dpm.history().x0());
                assertEquals(t, dpm.history().t());
            }
        }
    }

    /**
     * When x̂_0 does not change between steps, the second-order correction vanishes and the 2M step
     * equals the first-order one; when it does, the step extrapolates x̂_0 linearly in λ with weight 1/(2r).
     */
    @Test
    void dpmSolverSecondOrderCorrectionExtrapolatesInLambda() {
        NoiseSchedule s = NoiseSchedule.of(BetaSchedule.LINEAR);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray xt = new GaussianNoise(13).next(m, SHAPE);
            NDArray x0 = m.full(SHAPE, 0.7f);
            NDArray prevX0 = m.full(SHAPE, 0.3f);
            int tPrevPrev = 600;
            int t = 500;
            int tPrev = 400;
            NDArray first = DpmSolverPP2M.step(s, xt, x0, t, tPrev, null).x();
            NDArray same = DpmSolverPP2M.step(s, xt, x0, t, tPrev, new DpmSolverPP2M.History(x0, tPrevPrev)).x();
            assertTrue(maxAbsDiff(first, same) < 1e-6);
            NDArray second = DpmSolverPP2M.step(s, xt, x0, t, tPrev, new DpmSolverPP2M.History(prevX0, tPrevPrev)).x();
            double h = DpmSolverPP2M.lambda(s, tPrev) - DpmSolverPP2M.lambda(s, t);
            double r = (DpmSolverPP2M.lambda(s, t) - DpmSolverPP2M.lambda(s, tPrevPrev)) / h;
            double d = 0.7 + (0.7 - 0.3) / (2 * r);
            // x = (σ_s/σ_t) x_t − α_s (e^{−h} − 1) D, and the first-order step has D = 0.7
            double alphaPrev = s.sqrtAlphaBar()[tPrev];
            double shift = -alphaPrev * Math.expm1(-h) * (d - 0.7);
            assertTrue(maxAbsDiff(second.sub(first), m.full(SHAPE, (float) shift)) < 1e-5);
        }
    }

    @Test
    void dpmSolverLastStepReturnsTheDataPrediction() {
        NoiseSchedule s = NoiseSchedule.of(BetaSchedule.LINEAR);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray xt = new GaussianNoise(14).next(m, SHAPE);
            NDArray x0 = new GaussianNoise(15).next(m, SHAPE);
            DpmSolverPP2M.Result last = DpmSolverPP2M.step(s, xt, x0, 49, -1, new DpmSolverPP2M.History(xt, 99));
            assertArrayEquals(x0.toFloatArray(), last.x().toFloatArray());
        }
    }

    @Test
    void guidanceIsUncondPlusScaledDifference() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray cond = m.create(new float[] {1, 2, 3});
            NDArray uncond = m.create(new float[] {0.5f, 0, -1});
            assertArrayEquals(new float[] {0.5f, 0, -1}, Guidance.combine(cond, uncond, 0).toFloatArray());
            assertArrayEquals(new float[] {1, 2, 3}, Guidance.combine(cond, uncond, 1).toFloatArray());
            assertArrayEquals(new float[] {2, 6, 11}, Guidance.combine(cond, uncond, 3).toFloatArray());
        }
    }

    /** With labels and w ∉ {0, 1} the model is called once, on [x_t; x_t] with steps [t; t] and labels [labels; null]. */
    @Test
    void guidanceEvaluatesTheDoubledBatchWithTheNullClass() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray[] seen = new NDArray[3];
            int[] calls = {0};
            Denoiser spy = (x, t, labels) -> {
                calls[0]++;
                seen[0] = x;
                seen[1] = t;
                seen[2] = labels;
                // "prediction" = label value, so cond and uncond differ per sample
                return labels.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).reshape(-1, 1);
            };
            NDArray x = m.create(new float[] {1, 2}, new Shape(2, 1));
            NDArray t = m.create(new long[] {7, 7});
            NDArray out = Guidance.predict(spy, x, t, new int[] {3, 4}, 9, 2.0);
            assertEquals(1, calls[0]);
            assertArrayEquals(new float[] {1, 2, 1, 2}, seen[0].toFloatArray());
            assertArrayEquals(new long[] {7, 7, 7, 7}, seen[1].toLongArray());
            assertArrayEquals(new long[] {3, 4, 9, 9}, seen[2].toLongArray());
            // 9 + 2·(3 − 9) = −3, 9 + 2·(4 − 9) = −1
            assertArrayEquals(new float[] {-3, -1}, out.toFloatArray());
            // w = 1 needs only the conditional half, w = 0 only the null half
            assertArrayEquals(new float[] {3, 4}, Guidance.predict(spy, x, t, new int[] {3, 4}, 9, 1.0).toFloatArray());
            assertArrayEquals(new long[] {3, 4}, seen[2].toLongArray());
            assertArrayEquals(new float[] {9, 9}, Guidance.predict(spy, x, t, new int[] {3, 4}, 9, 0.0).toFloatArray());
            assertEquals(3, calls[0]);
            NDArray plain = Guidance.predict((xx, tt, labels) -> {
                assertNull(labels);
                return xx.mul(2);
            }, x, t, null, 9, 2.0);
            assertArrayEquals(new float[] {2, 4}, plain.toFloatArray());
        }
    }
}
