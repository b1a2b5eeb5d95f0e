package ldm4j.core.train;

import static ldm4j.core.train.TrainFixtures.backwardWithGradients;
import static ldm4j.core.train.TrainFixtures.gradientOf;
import static ldm4j.core.train.TrainFixtures.list;
import static ldm4j.core.train.TrainFixtures.param;
import static ldm4j.core.train.TrainFixtures.valuesOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainStepTest {
    private static final float[] NAN_GRAD = {Float.NaN, 1f};

    private static TrainStep trainStep(NDManager root, PairList<String, Parameter> params, int maxSkips) {
        return new TrainStep(new AdamW(root, AdamWConfig.defaults()), LrSchedule.cosine(0.1, 0.01, 2, 10),
                new GradNormClip(1.0), new NonFiniteGuard(maxSkips), new Ema(root, new EmaConfig(0.9, true), params));
    }

    private static StepStats apply(TrainStep ts, PairList<String, Parameter> params, NDManager root, float[] g) {
        try (NDManager scope = root.newSubManager()) {
            backwardWithGradients(params, scope, g);
            return ts.applyGradients(params, 0.5f, scope);
        }
    }

    @Test
    void nanGradientSkipsTheStepLeavesWeightsAndStateAloneAndZeroesGradients() {
        try (NDManager root = NDManager.newBaseManager()) {
            Parameter w = param(root, "w", 1f, 2f);
            PairList<String, Parameter> params = list(w);
            TrainStep ts = trainStep(root, params, 50);

            StepStats skipped = apply(ts, params, root, NAN_GRAD);
            assertTrue(skipped.skipped());
            assertFalse(Float.isFinite(skipped.gradNorm()));
            assertArrayEquals(new float[] {1f, 2f}, valuesOf(w), 0f, "weights untouched");
            assertEquals(0, ts.optimizer().stepCount());
            assertEquals(0, ts.ema().orElseThrow().updates());
            assertEquals(1, ts.guard().skippedSteps());
            assertEquals(1, ts.guard().consecutiveSkips());
            assertArrayEquals(new float[] {0f, 0f}, gradientOf(w), 0f, "the NaN gradient is cleared");

            // The next finite step is applied as if the NaN had never happened.
            StepStats ok = apply(ts, params, root, new float[] {3f, -4f});
            assertFalse(ok.skipped());
            assertEquals(5f, ok.gradNorm(), 1e-5f);
            assertEquals(1, ok.step());
            assertEquals(0.05, ok.lr(), 1e-12, "first warm-up rate: the skip did not advance the schedule");
            assertEquals(0, ts.guard().consecutiveSkips());
            assertEquals(1, ok.skippedTotal());
            float[] after = valuesOf(w);
            assertTrue(after[0] < 1f && after[1] > 2f, "moved against the (clipped) gradient");
            assertTrue(Float.isFinite(after[0]) && Float.isFinite(after[1]));
            assertEquals(1, ts.ema().orElseThrow().updates());
        }
    }

    @Test
    void abortsAfterTheLimitOfConsecutiveNonFiniteSteps() {
        try (NDManager root = NDManager.newBaseManager()) {
            Parameter w = param(root, "w", 1f, 2f);
            PairList<String, Parameter> params = list(w);
            TrainStep ts = trainStep(root, params, 3);
            assertTrue(apply(ts, params, root, NAN_GRAD).skipped());
            assertTrue(apply(ts, params, root, NAN_GRAD).skipped());
            NonFiniteGradientsException e =
                    assertThrows(NonFiniteGradientsException.class, () -> apply(ts, params, root, NAN_GRAD));
            assertTrue(e.getMessage().contains("3 steps in a row"), e.getMessage());
            assertArrayEquals(new float[] {1f, 2f}, valuesOf(w), 0f);
            assertArrayEquals(new float[] {0f, 0f}, gradientOf(w), 0f, "gradients are zeroed even when it throws");
        }
    }

    @Test
    void stateDictHoldsOptimizerAndEmaAndRestoresBoth() {
        try (NDManager root = NDManager.newBaseManager()) {
            Parameter w = param(root, "w", 1f, 2f);
            PairList<String, Parameter> params = list(w);
            TrainStep ts = trainStep(root, params, 50);
            apply(ts, params, root, new float[] {0.5f, 0.5f});
            apply(ts, params, root, new float[] {0.25f, -0.5f});
            TrainStep fresh = trainStep(root, list(param(root, "w", 0f, 0f)), 50);
            try (NDManager scope = root.newSubManager()) {
                Map<String, NDArray> dict = ts.stateDict(scope);
                assertEquals(List.of("adamw.step", "adamw.m.w", "adamw.v.w", "ema.updates", "ema.w"),
                        List.copyOf(dict.keySet()));
                fresh.loadStateDict(dict);
            }
            assertEquals(2, fresh.optimizer().stepCount());
            assertEquals(2, fresh.ema().orElseThrow().updates());
            assertArrayEquals(ts.ema().orElseThrow().shadow("w").toFloatArray(),
                    fresh.ema().orElseThrow().shadow("w").toFloatArray(), 0f);
        }
    }

    /**
     * The full per-step pattern on a small conv net for 300 steps, with a NaN batch every 37 steps, an
     * EMA swap for evaluation and a state-dict copy now and then: the root manager must hold exactly
     * the parameters, two AdamW moments and one EMA shadow per parameter, at step 50 and at step 300.
     */
    @Test
    void managedArrayCountStaysFlatOverThreeHundredSteps() {
        Engine.getInstance().setRandomSeed(1234);
        try (NDManager root = NDManager.newBaseManager()) {
            SequentialBlock net = new SequentialBlock()
                    .add(Conv2d.builder().setFilters(16).setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).build())
                    .add(Blocks.batchFlattenBlock())
                    .add(Linear.builder().setUnits(1).build());
            net.setInitializer(new NormalInitializer(0.05f), Parameter.Type.WEIGHT);
            net.initialize(root, DataType.FLOAT32, new Shape(4, 1, 4, 4));
            PairList<String, Parameter> params = net.getParameters();
            ParameterStore store = new ParameterStore(root, false);
            TrainStep ts = new TrainStep(new AdamW(root, AdamWConfig.defaults()), LrSchedule.constant(1e-2, 10),
                    new GradNormClip(1.0), new NonFiniteGuard(), new Ema(root, EmaConfig.diffusionDefault(), params));

            int atStep50 = -1;
            double firstLosses = 0;
            double lastLosses = 0;
            for (int step = 1; step <= 300; step++) {
                try (NDManager scope = root.newSubManager()) {
                    NDArray x = scope.randomNormal(new Shape(4, 1, 4, 4));
                    NDArray y = x.sum(new int[] {1, 2, 3}).reshape(4, 1).muli(0.1f);
                    if (step % 37 == 0) {
                        x.muli(Float.NaN); // a poisoned batch: NaN loss and gradients
                    }
                    float loss;
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray pred = net.forward(store, new NDList(x), true).singletonOrThrow();
                        NDArray l = pred.sub(y).square().mean();
                        gc.backward(l);
                        loss = l.getFloat();
                    }
                    StepStats s = ts.applyGradients(params, loss, scope);
                    assertEquals(step % 37 == 0, s.skipped(), "step " + step);
                    if (step % 100 == 0) {
                        ts.ema().orElseThrow().swap(params);
                        net.forward(store, new NDList(x), false);
                        ts.ema().orElseThrow().swap(params);
                        ts.stateDict(scope);
                    }
                    if (!s.skipped() && step <= 20) {
                        firstLosses += loss;
                    }
                    if (!s.skipped() && step > 280) {
                        lastLosses += loss;
                    }
                }
                if (step == 50) {
                    atStep50 = root.getManagedArrays().size();
                }
            }
            int expected = 4 * params.size();
            assertEquals(expected, atStep50, "params + 2 moments + 1 shadow each, at step 50");
            assertEquals(atStep50, root.getManagedArrays().size(), "the same at step 300");
            assertEquals(300 - 300 / 37, ts.optimizer().stepCount());
            assertEquals(300 / 37, ts.guard().skippedSteps());
            assertTrue(lastLosses < 0.5 * firstLosses, "it trained: " + firstLosses + " -> " + lastLosses);
            assertEquals(4, params.size(), "conv weight and bias, linear weight and bias");
            for (var p : params) {
                for (float v : p.getValue().getArray().toFloatArray()) {
                    assertTrue(Float.isFinite(v), p.getKey() + " stayed finite");
                }
            }
        }
    }
}
