package ldm4j.autoencoder.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import ldm4j.autoencoder.loss.DiscriminatorConfig;
import ldm4j.autoencoder.loss.ReconstructionLoss;
import ldm4j.core.engine.EngineSetup;
import ldm4j.core.nn.GcPressure;
import org.junit.jupiter.api.Test;

/**
 * One training step leaves nothing behind on the root manager and gives the same bits under GC
 * pressure, with every optional part switched on.
 */
class AutoencoderStepTest {
    /** Attention (the tiny model has it), NLL, β = 1 and the discriminator from step 0. */
    private static AutoencoderTrainConfig everythingOn() {
        return AutoencoderTrainConfig.resolve(TinyData.config(10, 1.0, 4), null, Map.of(
                "loss", ReconstructionLoss.NLL,
                "disc", new DiscriminatorConfig(true, 0, 0.5, 8, 2, 1e-3)));
    }

    /** The rows of three steps and every trained weight afterwards, with {@code hook} before each backward. */
    private static List<Object> threeSteps(Runnable hook) {
        try (NDManager root = NDManager.newBaseManager()) {
            AutoencoderStep step = new AutoencoderStep(everythingOn(), root, 16);
            step.beforeBackward(hook);
            List<Object> out = new ArrayList<>();
            for (int s = 0; s < 3; s++) {
                try (NDManager scope = root.newSubManager()) {
                    EngineSetup.seed(100 + s);
                    out.add(step.run(scope.randomUniform(-1f, 1f, new Shape(4, 1, 16, 16)), s, scope));
                }
            }
            for (Pair<String, Parameter> p : step.params()) {
                out.add(p.getKey() + "=" + Arrays.toString(p.getValue().getArray().toFloatArray()));
            }
            for (Pair<String, Parameter> p : step.discriminator().getParameters()) {
                out.add("disc." + p.getKey() + "=" + Arrays.toString(p.getValue().getArray().toFloatArray()));
            }
            step.close();
            return out;
        }
    }

    @Test
    void gcBetweenForwardAndBackwardChangesNoBit() {
        List<Object> quiet = threeSteps(() -> {});
        List<Object> underGc = threeSteps(GcPressure::apply);
        assertEquals(quiet.subList(0, 3), underGc.subList(0, 3), "step rows (loss, grad_norm, d_weight, d_loss, ...)");
        assertEquals(quiet, underGc, "weights after three steps");
        for (int s = 0; s < 3; s++) {
            @SuppressWarnings("unchecked")
            Map<String, Double> row = (Map<String, Double>) quiet.get(s);
            assertEquals(0.0, row.get("skipped"), "step " + s + " skipped: " + row);
            assertTrue(Double.isFinite(row.get("d_loss")), "the discriminator trained at step " + s);
        }
    }

    @Test
    void managedArrayCountStaysFlatWithGanNllAndEma() {
        AutoencoderTrainConfig config = AutoencoderTrainConfig.resolve(TinyData.config(10, 1e-4, 4), null, Map.of(
                "loss", ReconstructionLoss.NLL,
                "ema", true,
                "disc", new DiscriminatorConfig(true, 1, 0.5, 8, 2, 1e-3)));
        try (NDManager root = NDManager.newBaseManager()) {
            AutoencoderStep step = new AutoencoderStep(config, root, 16);
            int afterFirstGanStep = -1;
            for (int s = 0; s < 8; s++) {
                try (NDManager scope = root.newSubManager()) {
                    Map<String, Double> row = step.run(scope.randomUniform(-1f, 1f, new Shape(4, 1, 16, 16)), s, scope);
                    assertEquals(step.columns(), row.keySet().stream().toList());
                }
                if (s == 1) { // optimiser state of both networks now exists
                    afterFirstGanStep = root.getManagedArrays().size();
                }
            }
            assertEquals(afterFirstGanStep, root.getManagedArrays().size(), "arrays left on the root manager");
            assertTrue(step.discriminatorStep().optimizer().stepCount() + step.discriminatorStep().guard().skippedSteps() == 7);
            step.close();
        }
    }
}
