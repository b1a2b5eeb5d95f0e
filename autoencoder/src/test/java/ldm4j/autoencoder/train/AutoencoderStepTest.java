package ldm4j.autoencoder.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import ldm4j.autoencoder.loss.DiscriminatorConfig;
import ldm4j.autoencoder.loss.ReconstructionLoss;
import org.junit.jupiter.api.Test;

/** One training step leaves nothing behind on the root manager, with every optional part switched on. */
class AutoencoderStepTest {
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
