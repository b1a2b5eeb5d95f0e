package ldm4j.autoencoder.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ldm4j.autoencoder.loss.ReconstructionLoss;
import ldm4j.core.InputException;
import ldm4j.core.io.Json;
import ldm4j.core.train.GivenKeys;
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
        Files.writeString(yaml, "beta: 1.0\nloss: nll\nlr_decay: constant\nmodel:\n  ch: 64\n  ch_mult: [1, 2]\nsteps: 50\n");
        Map<String, Object> flags = new HashMap<>();
        flags.put("steps", 70L);
        flags.put("model.z_channels", 8);
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
    void shippedPresetReads() {
        AutoencoderTrainConfig c = AutoencoderTrainConfig.resolve(AutoencoderTrainConfig.defaults(1),
                Path.of("../configs/ae-fashion-quick.yaml"), Map.of());
        assertEquals(List.of(1, 2, 2), c.model().chMult());
        assertEquals(4, c.model().zChannels());
        assertEquals(1157, c.steps());
        assertEquals(ReconstructionLoss.L2, c.loss());
        assertEquals(AutoencoderTrainConfig.DEFAULT_SIGMA, c.sigma());
        assertEquals(2000, c.scaleImages());
    }

    /** configs/vae-fashion.yaml: the textbook dense-latent VAE (fixed-σ l2, β = 1) that issue 16's sweep chose. */
    @Test
    void vaePresetReads() {
        AutoencoderTrainConfig c = AutoencoderTrainConfig.resolve(AutoencoderTrainConfig.defaults(1),
                Path.of("../configs/vae-fashion.yaml"), Map.of());
        assertEquals(ldm4j.autoencoder.LatentKind.DENSE, c.model().latent());
        assertEquals(16, c.model().latentDim());
        assertEquals(List.of(1, 2, 2), c.model().chMult());
        assertEquals(ReconstructionLoss.L2, c.loss());
        assertEquals(0.2, c.sigma());
        assertEquals(1.0, c.beta());
        assertEquals(1500, c.steps());
        assertEquals(32, c.batchSize());
    }

    /** `--steps 80` or `--steps 2`: the defaults' warm-up shrinks to a tenth of the run; the preset has none. */
    @Test
    void aShortRunShortensTheWarmupOfTheDefaultsAndThePresetTrains() {
        for (long steps : new long[] {1, 2, 9, 80, 100}) {
            AutoencoderTrainConfig d = AutoencoderTrainConfig.resolve(AutoencoderTrainConfig.defaults(1), null,
                    Map.of("steps", steps));
            assertEquals(steps / 10, d.warmup(), "steps " + steps);
            assertTrue(d.schedule().lr(steps - 1) > 0);
            // the preset holds its rate constant from step 0: nothing to shorten
            AutoencoderTrainConfig p = AutoencoderTrainConfig.resolve(AutoencoderTrainConfig.defaults(1),
                    Path.of("../configs/ae-fashion-quick.yaml"), Map.of("steps", steps));
            assertEquals(0, p.warmup(), "steps " + steps);
            assertEquals(1e-3, p.schedule().lr(steps - 1), 1e-15);
        }
        assertEquals(100, AutoencoderTrainConfig.resolve(AutoencoderTrainConfig.defaults(1), null,
                Map.of("steps", 101L)).warmup(), "a warm-up that fits is kept");
    }

    @Test
    void warmupAndStepsBothGivenThatCannotWorkAreRefusedNamingBoth() {
        InputException e = assertThrows(InputException.class, () -> AutoencoderTrainConfig.resolve(
                AutoencoderTrainConfig.defaults(1), GivenKeys.none().flag("--warmup", "warmup", 100L)
                        .flag("--steps", "steps", 80L)));
        assertTrue(e.getMessage().contains("--warmup 100") && e.getMessage().contains("--steps 80"), e.getMessage());
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
    void camelCaseKeyIsOneErrorNamingFileKeyAndSnakeCaseSpelling() throws IOException {
        Path yaml = dir.resolve("old.yaml");
        Files.writeString(yaml, "steps: 10\nmodel:\n  ch: 16\n  chMult: [1, 2]\n");
        InputException e = assertThrows(InputException.class,
                () -> AutoencoderTrainConfig.resolve(AutoencoderTrainConfig.defaults(1), yaml, Map.of()));
        assertEquals(yaml + ": unknown key 'model.chMult' at line 4 (did you mean 'ch_mult'?)", e.getMessage());
    }

    @Test
    void camelCaseKeyInARunConfigSectionNamesTheSection() throws IOException {
        Path yaml = dir.resolve("run.yaml");
        Files.writeString(yaml, "name: x\nautoencoder:\n  batchSize: 8\n");
        JsonNode section = Json.readYamlTree(yaml).get("autoencoder");
        InputException e = assertThrows(InputException.class, () -> AutoencoderTrainConfig.resolve(
                AutoencoderTrainConfig.defaults(1), section, yaml, "autoencoder"));
        assertEquals(yaml + ": unknown key 'autoencoder.batchSize' at line 3 (did you mean 'batch_size'?)",
                e.getMessage());
    }

    @Test
    void writtenKeysAreSnakeCase() {
        JsonNode tree = Json.MAPPER.valueToTree(AutoencoderTrainConfig.defaults(1));
        assertTrue(tree.has("batch_size") && tree.has("lr_decay") && tree.has("final_eval_images"), tree.toString());
        assertTrue(tree.get("model").has("ch_mult") && tree.get("model").has("z_channels"), tree.toString());
        assertFalse(tree.toString().matches(".*\"[a-z]+[A-Z].*"), "no camelCase key: " + tree);
    }

    @Test
    void sidecarWithCamelCaseKeysFromBeforeTheRenameStillReads() throws IOException {
        AutoencoderTrainConfig c = TinyData.with(AutoencoderTrainConfig.defaults(3), "disc.start", 7L);
        // The sidecar config exactly as the camelCase records wrote it.
        String old = Json.MAPPER.writeValueAsString(Json.MAPPER.valueToTree(c))
                .replace("\"in_channels\"", "\"inChannels\"").replace("\"ch_mult\"", "\"chMult\"")
                .replace("\"num_res_blocks\"", "\"numResBlocks\"").replace("\"z_channels\"", "\"zChannels\"")
                .replace("\"batch_size\"", "\"batchSize\"").replace("\"min_lr\"", "\"minLr\"")
                .replace("\"lr_decay\"", "\"lrDecay\"").replace("\"weight_decay\"", "\"weightDecay\"")
                .replace("\"ema_decay\"", "\"emaDecay\"").replace("\"eval_every\"", "\"evalEvery\"")
                .replace("\"eval_images\"", "\"evalImages\"").replace("\"final_eval_images\"", "\"finalEvalImages\"")
                .replace("\"scale_images\"", "\"scaleImages\"").replace("\"checkpoint_every\"", "\"checkpointEvery\"")
                .replace("\"log_every\"", "\"logEvery\"")
                .replace("\"reconstruction_images\"", "\"reconstructionImages\"")
                .replace("\"grad_clip\"", "\"clip\"");
        assertFalse(old.contains("_"), old);
        assertEquals(c, AutoencoderTrainConfig.fromSidecar(Json.MAPPER.readTree(old), dir.resolve("checkpoint.json")));
    }

    @Test
    void rejectedValueNamesTheField() {
        InputException e = assertThrows(InputException.class,
                () -> AutoencoderTrainConfig.resolve(AutoencoderTrainConfig.defaults(1), null, Map.of("batch_size", 0)));
        assertTrue(e.getMessage().contains("batch_size"), e.getMessage());
    }

    @Test
    void savedConfigRoundTripsThroughJson() {
        AutoencoderTrainConfig c = AutoencoderTrainConfig.defaults(1);
        assertEquals(c, AutoencoderTrainConfig.resolve(c, null, Map.of()));
    }
}
