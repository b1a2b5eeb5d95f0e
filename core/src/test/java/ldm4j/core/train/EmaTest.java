package ldm4j.core.train;

import static ldm4j.core.train.TrainFixtures.list;
import static ldm4j.core.train.TrainFixtures.param;
import static ldm4j.core.train.TrainFixtures.valuesOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmaTest {
    /** Overwrites a weight in place (NDArray.set(float[]) would swap in a Java-owned buffer). */
    private static void setWeight(Parameter p, float... values) {
        NDArray w = p.getArray();
        try (NDArray v = w.getManager().create(values, w.getShape())) {
            w.set(new NDIndex("..."), v);
        }
    }

    @Test
    void matchesClosedFormWithWarmup() {
        // Warm-up decays for updates 1, 2, 3: 2/11, 3/12, 4/13 (all below the target 0.9).
        // s3 = d3·d2·d1·s0 + d3·d2·(1−d1)·x1 + d3·(1−d2)·x2 + (1−d3)·x3
        double d1 = 2.0 / 11, d2 = 3.0 / 12, d3 = 4.0 / 13;
        double s0 = 1, x1 = 3, x2 = -2, x3 = 5;
        double expected = d3 * d2 * d1 * s0 + d3 * d2 * (1 - d1) * x1 + d3 * (1 - d2) * x2 + (1 - d3) * x3;
        try (NDManager root = NDManager.newBaseManager()) {
            Parameter w = param(root, "w", (float) s0);
            PairList<String, Parameter> params = list(w);
            Ema ema = new Ema(root, new EmaConfig(0.9, true), params);
            assertEquals(d1, ema.nextDecay(), 1e-15);
            for (double x : new double[] {x1, x2, x3}) {
                setWeight(w, (float) x);
                ema.update(params);
            }
            assertEquals(3, ema.updates());
            assertEquals(expected, ema.shadow("w").getFloat(), 1e-6);
            assertEquals(x3, valuesOf(w)[0], 0, "update leaves the weights alone");
        }
    }

    @Test
    void withoutWarmupTheAverageApproachesAConstantWeightGeometrically() {
        // s_n = c + (s0 − c)·d^n for a constant weight c.
        try (NDManager root = NDManager.newBaseManager()) {
            Parameter w = param(root, "w", 0f, 4f);
            PairList<String, Parameter> params = list(w);
            Ema ema = new Ema(root, new EmaConfig(0.5, false), params);
            setWeight(w, 8f, -4f);
            for (int n = 0; n < 4; n++) {
                ema.update(params);
            }
            assertArrayEquals(new float[] {8f - 8f / 16, -4f + 8f / 16}, ema.shadow("w").toFloatArray(), 1e-6f);
        }
    }

    @Test
    void warmupDecayIsCappedAtTheConfiguredDecay() {
        EmaConfig c = EmaConfig.diffusionDefault();
        assertEquals(2.0 / 11, c.decayAt(1), 1e-15);
        assertEquals(1001.0 / 1010, c.decayAt(1000), 1e-15);
        assertEquals(0.9999, c.decayAt(1_000_000), 1e-15);
        assertEquals(0.9999, new EmaConfig(0.9999, false).decayAt(1), 1e-15);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new EmaConfig(1, true))
                .getMessage().contains("decay"));
    }

    @Test
    void swapLoadsTheAveragesAndASecondSwapRestoresTheWeights() {
        try (NDManager root = NDManager.newBaseManager()) {
            Parameter w = param(root, "w", 1f, 2f);
            Parameter b = param(root, "b", -1f);
            PairList<String, Parameter> params = list(w, b);
            Ema ema = new Ema(root, new EmaConfig(0.5, false), params);
            setWeight(w, 3f, 4f);
            setWeight(b, 1f);
            ema.update(params); // shadows: (2, 3), (0)
            int before = root.getManagedArrays().size();
            ema.swap(params);
            assertArrayEquals(new float[] {2f, 3f}, valuesOf(w), 0f);
            assertArrayEquals(new float[] {0f}, valuesOf(b), 0f);
            assertArrayEquals(new float[] {3f, 4f}, ema.shadow("w").toFloatArray(), 0f);
            ema.swap(params);
            assertArrayEquals(new float[] {3f, 4f}, valuesOf(w), 0f);
            assertArrayEquals(new float[] {1f}, valuesOf(b), 0f);
            assertArrayEquals(new float[] {2f, 3f}, ema.shadow("w").toFloatArray(), 0f);
            assertEquals(before, root.getManagedArrays().size(), "swap leaves no arrays behind");
            assertTrue(w.getArray().hasGradient(), "the weight is still a trainable leaf");
        }
    }

    @Test
    void copyToOverwritesTheWeightsWithTheAverages() {
        try (NDManager root = NDManager.newBaseManager()) {
            Parameter w = param(root, "w", 1f, 2f);
            PairList<String, Parameter> params = list(w);
            Ema ema = new Ema(root, new EmaConfig(0.5, false), params);
            setWeight(w, 3f, 4f);
            ema.update(params);
            ema.copyTo(params);
            assertArrayEquals(new float[] {2f, 3f}, valuesOf(w), 0f);
        }
    }

    @Test
    void stateDictRoundTripRestoresShadowsAndUpdateCount() {
        try (NDManager root = NDManager.newBaseManager()) {
            Parameter w = param(root, "w", 1f, 2f);
            PairList<String, Parameter> params = list(w);
            Ema ema = new Ema(root, EmaConfig.diffusionDefault(), params);
            setWeight(w, 5f, -5f);
            ema.update(params);
            ema.update(params);
            Parameter other = param(root, "w", 0f, 0f);
            Ema restored = new Ema(root, EmaConfig.diffusionDefault(), list(other));
            try (NDManager scope = root.newSubManager()) {
                Map<String, NDArray> dict = ema.stateDict(scope);
                assertEquals(Ema.UPDATES_KEY, dict.keySet().iterator().next());
                restored.loadStateDict(dict);
            }
            assertEquals(2, restored.updates());
            assertEquals(ema.nextDecay(), restored.nextDecay());
            assertArrayEquals(ema.shadow("w").toFloatArray(), restored.shadow("w").toFloatArray(), 0f);
        }
    }

    @Test
    void loadStateDictRejectsMissingOrMisshapedShadowNamingTheKey() {
        try (NDManager root = NDManager.newBaseManager()) {
            Ema ema = new Ema(root, EmaConfig.diffusionDefault(), list(param(root, "w", 1f, 2f)));
            Map<String, NDArray> dict = new HashMap<>();
            dict.put(Ema.UPDATES_KEY, root.create(1L));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> ema.loadStateDict(dict))
                    .getMessage().contains("ema.w"));
            dict.put("ema.w", root.create(new float[] {1f, 2f, 3f}));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> ema.loadStateDict(dict))
                    .getMessage().contains("ema.w"));
            assertEquals(0, ema.updates());
        }
    }
}
