package ldm4j.autoencoder.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ldm4j.autoencoder.loss.ReconstructionLoss;
import ldm4j.core.InputException;
import ldm4j.core.train.LrSchedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Defaults, then YAML, then flags; unknown keys and bad values are one error naming the source. */
class AutoencoderTrainConfigTest {
    @TempDir
    Path dir;

    @Test
    void flagsOverrideYamlWhichOverridesDefaults() throws IOException {
        Path yaml = dir.resolve("c.yaml");
        Files.writeString(yaml, "beta: 1.0\nloss: nll\nlrDecay: constant\nmodel:\n  ch: 64\n  chMult: [1, 2]\nsteps: 50\n");
        Map<String, Object> flags = new HashMap<>();
        flags.put("steps", 70L);
        flags.put("model.zChannels", 8);
        flags.put("lr", null); // an unset flag changes nothing
        AutoencoderTrainConfig c = AutoencoderTrainConfig.resolve(AutoencoderTrainConfig.defaults(3), yaml, flags);
        assertEquals(1.0, c.beta());
        assertEquals(ReconstructionLoss.NLL, c.loss());
        assertEquals(LrSchedule.Decay.CONSTANT, c.lrDecay());
        assertEquals(70, c.steps());
        assertEquals(64, c.model().ch());
        assertEquals(List.of(1, 2), c.model().chMult());
        assertEquals(8, c.model().zChannels());
        assertEquals(3, c.model().inChannels()); // from the base, untouched by YAML
        assertEquals(1e-3, c.lr());
    }

    @Test
    void unknownNestedKeyNamesFileAndKey() throws IOException {
        Path yaml = dir.resolve("typo.yaml");
        Files.writeString(yaml, "model:\n  chMul: [1, 2]\n");
        InputException e = assertThrows(InputException.class,
                () -> AutoencoderTrainConfig.resolve(AutoencoderTrainConfig.defaults(1), yaml, Map.of()));
        assertTrue(e.getMessage().contains("typo.yaml") && e.getMessage().contains("chMul"), e.getMessage());
    }

    @Test
    void rejectedValueNamesTheField() {
        InputException e = assertThrows(InputException.class,
                () -> AutoencoderTrainConfig.resolve(AutoencoderTrainConfig.defaults(1), null, Map.of("batchSize", 0)));
        assertTrue(e.getMessage().contains("batchSize"), e.getMessage());
    }

    @Test
    void savedConfigRoundTripsThroughJson() {
        AutoencoderTrainConfig c = AutoencoderTrainConfig.defaults(1);
        assertEquals(c, AutoencoderTrainConfig.resolve(c, null, Map.of()));
    }
}
