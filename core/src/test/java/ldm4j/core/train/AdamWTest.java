package ldm4j.core.train;

import static ldm4j.core.train.TrainFixtures.backwardWithGradients;
import static ldm4j.core.train.TrainFixtures.list;
import static ldm4j.core.train.TrainFixtures.param;
import static ldm4j.core.train.TrainFixtures.valuesOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AdamWTest {
    private static final AdamWConfig PAPER = new AdamWConfig(0.9, 0.999, 1e-8, 0.01);

    /** One optimizer step with the given gradients, then zeroed gradients, as a trainer does it. */
    private static void step(AdamW opt, PairList<String, Parameter> params, NDManager root, double lr, float[]... g) {
        try (NDManager scope = root.newSubManager()) {
            backwardWithGradients(params, scope, g);
            List<ParamGrad> grads = Gradients.collect(params, scope);
            opt.step(grads, lr);
            Gradients.zero(grads);
        }
    }

    @Test
    void matchesHandComputedUpdateOnOneElementForThreeSteps() {
        // w0 = 1, lr = 0.1, betas (0.9, 0.999), eps 1e-8, wd 0.01, gradients 0.5, -0.2, 0.1.
        // Step 1: w = 1·(1 − 0.001) = 0.999; m̂ = 0.5, sqrt(v̂) = 0.5, so w −= 0.1·0.5/(0.5 + 1e-8) → 0.899.
        // Step 2: w = 0.899·0.999 = 0.898101; m = 0.025, v = 0.00028975; m̂ = 0.025/0.19,
        //         sqrt(v̂) = sqrt(0.00028975/0.001999) → w = 0.898101 − 0.0345606 = 0.8635404.
        // Step 3: m = 0.0325, v = 0.00029946025; bias corrections 0.271, 0.002997001 → 0.8247377.
        double[] expected = {0.899000002, 0.8635404181, 0.8247377004};
        float[] grads = {0.5f, -0.2f, 0.1f};
        try (NDManager root = NDManager.newBaseManager()) {
            Parameter w = param(root, "w", 1f);
            PairList<String, Parameter> params = list(w);
            AdamW opt = new AdamW(root, PAPER);
            for (int t = 0; t < 3; t++) {
                step(opt, params, root, 0.1, new float[] {grads[t]});
                assertEquals(expected[t], valuesOf(w)[0], 2e-7, "after step " + (t + 1));
            }
            assertEquals(3, opt.stepCount());
        }
    }

    @Test
    void epsIsAddedToTheBiasCorrectedRootAsInTorch() {
        // One step, g = 0.5, eps = 0.1, no decay: m̂ = 0.5 and sqrt(v̂) = 0.5, so w −= lr·0.5/(0.5 + 0.1).
        // DJL's fused Adam adds eps to the uncorrected sqrt(v) = 0.0158 instead and would move w by 0.0137.
        try (NDManager root = NDManager.newBaseManager()) {
            Parameter w = param(root, "w", 1f);
            AdamW opt = new AdamW(root, new AdamWConfig(0.9, 0.999, 0.1, 0));
            step(opt, list(w), root, 0.1, new float[] {0.5f});
            assertEquals(1 - 0.1 * 0.5 / 0.6, valuesOf(w)[0], 1e-6);
        }
    }

    @Test
    void weightDecayIsDecoupledFromTheGradient() {
        // With a zero gradient, m = v = 0 and the Adam term vanishes: only w·(1 − lr·wd) remains.
        // Coupled L2 (Adam on g + wd·w) would instead move each weight by lr toward 0 on the first step.
        try (NDManager root = NDManager.newBaseManager()) {
            Parameter w = param(root, "w", 2f, -4f, 0.5f);
            PairList<String, Parameter> params = list(w);
            AdamW opt = new AdamW(root, PAPER.withWeightDecay(0.1));
            step(opt, params, root, 0.1, new float[] {0f, 0f, 0f});
            assertArrayEquals(new float[] {2f * 0.99f, -4f * 0.99f, 0.5f * 0.99f}, valuesOf(w), 1e-7f);
            step(opt, params, root, 0.1, new float[] {0f, 0f, 0f});
            assertArrayEquals(new float[] {2f * 0.9801f, -4f * 0.9801f, 0.5f * 0.9801f}, valuesOf(w), 1e-6f);
        }
    }

    @Test
    void resumedRunIsBitIdenticalToUninterruptedRun() {
        Random rnd = new Random(7);
        float[][][] grads = new float[6][2][];
        for (float[][] g : grads) {
            g[0] = randomArray(rnd, 3);
            g[1] = randomArray(rnd, 4);
        }
        float[] a0 = {0.3f, -0.1f, 0.8f};
        float[] b0 = {1f, -2f, 0.5f, 0.25f};
        LrSchedule lrs = LrSchedule.cosine(1e-2, 1e-4, 2, 6);
        try (NDManager rootA = NDManager.newBaseManager(); NDManager rootB = NDManager.newBaseManager()) {
            // Uninterrupted: 6 steps.
            PairList<String, Parameter> pa = list(param(rootA, "a", a0), param(rootA, "b", new Shape(2, 2), b0));
            AdamW optA = new AdamW(rootA, PAPER);
            for (int t = 0; t < 6; t++) {
                step(optA, pa, rootA, lrs.lr(optA.stepCount()), grads[t]);
            }
            // Interrupted after 3: the weights and the state dict are all that survive.
            PairList<String, Parameter> pb = list(param(rootB, "a", a0), param(rootB, "b", new Shape(2, 2), b0));
            AdamW before = new AdamW(rootB, PAPER);
            for (int t = 0; t < 3; t++) {
                step(before, pb, rootB, lrs.lr(before.stepCount()), grads[t]);
            }
            float[] aMid = valuesOf(pb.get(0).getValue());
            float[] bMid = valuesOf(pb.get(1).getValue());
            Map<String, float[]> saved = new HashMap<>();
            try (NDManager ckpt = rootB.newSubManager()) {
                before.stateDict(ckpt).forEach((k, v) -> saved.put(k, k.equals(AdamW.STEP_KEY)
                        ? new float[] {v.getLong()} : v.toFloatArray()));
            }
            try (NDManager rootC = NDManager.newBaseManager()) {
                PairList<String, Parameter> pc = list(param(rootC, "a", aMid), param(rootC, "b", new Shape(2, 2), bMid));
                AdamW resumed = new AdamW(rootC, PAPER);
                try (NDManager load = rootC.newSubManager()) {
                    Map<String, NDArray> dict = new HashMap<>();
                    dict.put(AdamW.STEP_KEY, load.create((long) saved.get(AdamW.STEP_KEY)[0]));
                    dict.put("adamw.m.a", load.create(saved.get("adamw.m.a")));
                    dict.put("adamw.v.a", load.create(saved.get("adamw.v.a")));
                    dict.put("adamw.m.b", load.create(saved.get("adamw.m.b"), new Shape(2, 2)));
                    dict.put("adamw.v.b", load.create(saved.get("adamw.v.b"), new Shape(2, 2)));
                    resumed.loadStateDict(dict);
                }
                assertEquals(3, resumed.stepCount());
                for (int t = 3; t < 6; t++) {
                    step(resumed, pc, rootC, lrs.lr(resumed.stepCount()), grads[t]);
                }
                assertArrayEquals(valuesOf(pa.get(0).getValue()), valuesOf(pc.get(0).getValue()), 0f);
                assertArrayEquals(valuesOf(pa.get(1).getValue()), valuesOf(pc.get(1).getValue()), 0f);
                assertFalse(valuesOf(pa.get(0).getValue())[0] == a0[0], "the weights did move");
            }
        }
    }

    @Test
    void frozenParametersAreSkippedAndGetNoState() {
        try (NDManager root = NDManager.newBaseManager()) {
            Parameter trained = param(root, "trained", 1f, 1f);
            Parameter frozen = param(root, "frozen", 1f, 1f);
            PairList<String, Parameter> params = list(trained, frozen);
            AdamW opt = new AdamW(root, PAPER);
            try (NDManager scope = root.newSubManager()) {
                backwardWithGradients(params, scope, new float[] {1f, -1f}, new float[] {1f, -1f});
                frozen.freeze(true);
                opt.step(params, 0.1, scope);
            }
            assertArrayEquals(new float[] {1f, 1f}, valuesOf(frozen), 0f);
            assertTrue(valuesOf(trained)[0] < 1f && valuesOf(trained)[1] > 1f);
            try (NDManager scope = root.newSubManager()) {
                assertEquals(List.of(AdamW.STEP_KEY, "adamw.m.trained", "adamw.v.trained"),
                        List.copyOf(opt.stateDict(scope).keySet()));
            }
        }
    }

    @Test
    void loadStateDictRejectsMomentWithoutPartnerNamingTheKey() {
        try (NDManager root = NDManager.newBaseManager()) {
            AdamW opt = new AdamW(root, PAPER);
            Map<String, NDArray> dict = Map.of(AdamW.STEP_KEY, root.create(3L), "adamw.m.x", root.zeros(new Shape(2)));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> opt.loadStateDict(dict));
            assertTrue(e.getMessage().contains("adamw.v.x"), e.getMessage());
            assertEquals(0, opt.stepCount(), "a rejected map changes nothing");
            assertThrows(IllegalArgumentException.class, () -> opt.loadStateDict(Map.of()));
        }
    }

    @Test
    void configRejectsBadValuesNamingTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new AdamWConfig(1, 0.999, 1e-8, 0))
                .getMessage().contains("beta1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new AdamWConfig(0.9, -0.1, 1e-8, 0))
                .getMessage().contains("beta2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new AdamWConfig(0.9, 0.999, 0, 0))
                .getMessage().contains("eps"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new AdamWConfig(0.9, 0.999, 1e-8, -1))
                .getMessage().contains("weightDecay"));
    }

    private static float[] randomArray(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        return a;
    }
}
