package ldm4j.diffusion.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import ldm4j.core.InputException;
import ldm4j.core.io.Json;
import ldm4j.core.train.LrSchedule;
import ldm4j.diffusion.objective.LossWeighting;
import ldm4j.diffusion.objective.Prediction;
import ldm4j.diffusion.schedule.BetaSchedule;
import ldm4j.diffusion.unet.UNetConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** YAML, defaults and flag overrides of the stage-2 config. */
class DiffusionTrainConfigTest {
    @TempDir
    Path dir;

    @Test
    void quickPresetIsTheSpeedFloorUNetOnLatents() {
        DiffusionTrainConfig cfg = DiffusionTrainConfig.load(Path.of("../configs/ldm-fashion-quick.yaml"), null)
                .forData(4, 10);
        assertEquals(UNetConfig.speedFloor(4, 10), cfg.model());
        assertEquals(64, cfg.batchSize());
        assertTrue(cfg.classConditional());
        assertEquals(LossWeighting.UNIFORM, cfg.lossWeighting());
        assertEquals(0.00085, cfg.noiseSchedule().betas()[0], 1e-15);
        assertEquals(0.012, cfg.noiseSchedule().betas()[999], 1e-15);
    }

    /**
     * `--config configs/ldm-fashion-quick.yaml --steps 2` trains: the preset's rate is constant after
     * its warm-up, which needs no room after it, so the warm-up stays and every step has a rate > 0.
     * With a cosine decay the warm-up shrinks to a tenth of the run.
     */
    @Test
    void aShortRunOfThePresetTrains() {
        for (long steps : new long[] {1, 2, 50, 200}) {
            DiffusionTrainConfig cfg = DiffusionTrainConfig.load(Path.of("../configs/ldm-fashion-quick.yaml"),
                    JsonNodeFactory.instance.objectNode().put("steps", steps));
            assertEquals(100, cfg.warmup(), "steps " + steps);
            assertTrue(cfg.lrSchedule().lr(steps - 1) > 0);
            DiffusionTrainConfig cosine = DiffusionTrainConfig.load(Path.of("../configs/ldm-fashion-quick.yaml"),
                    JsonNodeFactory.instance.objectNode().put("steps", steps).put("lr_decay", "cosine"));
            assertEquals(steps > 100 ? 100 : steps / 10, cosine.warmup(), "cosine, steps " + steps);
            assertTrue(cosine.lrSchedule().lr(steps - 1) > 0);
        }
        assertEquals(500, DiffusionTrainConfig.load(null, JsonNodeFactory.instance.objectNode().put("steps", 2))
                .warmup(), "the defaults' constant rate fits any warm-up: unchanged");
    }

    @Test
    void yamlOverridesDefaultsAndFlagsOverrideYaml() throws IOException {
        Path yaml = Files.writeString(dir.resolve("c.yaml"), "schedule: cosine\nsteps: 7\nmodel:\n  model_channels: 32\n");
        ObjectNode flags = JsonNodeFactory.instance.objectNode().put("steps", 9).put("prediction", "v");
        DiffusionTrainConfig cfg = DiffusionTrainConfig.load(yaml, flags);
        assertEquals(BetaSchedule.COSINE, cfg.betaSchedule());
        assertEquals(9, cfg.steps());
        assertEquals(Prediction.V, cfg.predictionType());
        assertEquals(32, cfg.model().modelChannels());
        assertEquals(List.of(1, 2), cfg.model().channelMult(), "untouched nested keys keep their defaults");
    }

    @Test
    void unknownKeyIsAnErrorNamingFileAndKey() throws IOException {
        Path yaml = Files.writeString(dir.resolve("bad.yaml"), "model:\n  num_res_block: 2\n");
        InputException e = assertThrows(InputException.class, () -> DiffusionTrainConfig.load(yaml, null));
        assertTrue(e.getMessage().contains("bad.yaml") && e.getMessage().contains("num_res_block"), e.getMessage());
    }

    @Test
    void badValueNamesTheField() throws IOException {
        Path yaml = Files.writeString(dir.resolve("neg.yaml"), "batch_size: 0\n");
        InputException e = assertThrows(InputException.class, () -> DiffusionTrainConfig.load(yaml, null));
        assertTrue(e.getMessage().contains("batch_size"), e.getMessage());
    }

    @Test
    void cosineDecayReadsFromYamlAndEndsAtMinLr() throws IOException {
        Path yaml = Files.writeString(dir.resolve("cos.yaml"),
                "steps: 100\nwarmup: 10\nlr: 1.0e-3\nlr_decay: cosine\nmin_lr: 1.0e-5\n");
        DiffusionTrainConfig cfg = DiffusionTrainConfig.load(yaml, null);
        assertEquals(LrSchedule.Decay.COSINE, cfg.decay());
        LrSchedule s = cfg.lrSchedule();
        assertEquals(1e-3, s.lr(10), 1e-12, "peak right after the warm-up");
        assertEquals(1e-5, s.lr(100), 1e-12, "min_lr at the last step");
        assertTrue(s.lr(55) < 1e-3 && s.lr(55) > 1e-5);
        Path bad = Files.writeString(dir.resolve("minlr.yaml"), "lr: 1.0e-4\nlr_decay: cosine\nmin_lr: 1.0e-3\n");
        InputException e = assertThrows(InputException.class, () -> DiffusionTrainConfig.load(bad, null));
        assertTrue(e.getMessage().contains("min_lr"), e.getMessage());
    }

    /**
     * The defaults (constant, min_lr 0) stay out of the JSON, so a run fingerprinted before the keys
     * existed is not redone for them, and a sidecar without them reads back as constant.
     */
    @Test
    void constantDecayIsLeftOutOfTheJsonAndReadBackWhenMissing() {
        DiffusionTrainConfig constant = DiffusionTrainConfig.defaults();
        ObjectNode tree = Json.MAPPER.valueToTree(constant);
        assertFalse(tree.has("lr_decay") || tree.has("min_lr"), tree.toString());
        assertEquals(constant, Json.convert(tree, DiffusionTrainConfig.class, Path.of("sidecar.json")));
        ObjectNode cosine = tree.deepCopy().put("lr_decay", "Cosine").put("min_lr", 1e-6);
        DiffusionTrainConfig c = Json.convert(cosine, DiffusionTrainConfig.class, Path.of("sidecar.json"));
        ObjectNode written = Json.MAPPER.valueToTree(c);
        assertEquals("cosine", written.path("lr_decay").asText());
        assertEquals(1e-6, written.path("min_lr").asDouble());
    }

    /** Bounds left at 0 stay out of the JSON (old fingerprints hold); given ones shape the schedule. */
    @Test
    void betaBoundsAreOptionalKeysThatShapeTheSchedule() throws IOException {
        ObjectNode tree = Json.MAPPER.valueToTree(DiffusionTrainConfig.defaults());
        assertFalse(tree.has("beta_start") || tree.has("beta_end"), tree.toString());
        Path yaml = Files.writeString(dir.resolve("sd.yaml"),
                "schedule: scaled-linear\nbeta_start: 0.00085\nbeta_end: 0.012\n");
        DiffusionTrainConfig sd = DiffusionTrainConfig.load(yaml, null);
        assertEquals(0.00085, sd.noiseSchedule().betas()[0], 1e-15);
        assertEquals(0.012, sd.noiseSchedule().betas()[999], 1e-15);
        ObjectNode written = Json.MAPPER.valueToTree(sd);
        assertEquals(sd, Json.convert(written, DiffusionTrainConfig.class, Path.of("sidecar.json")));
        Path cosine = Files.writeString(dir.resolve("cos-bounds.yaml"), "schedule: cosine\nbeta_end: 0.02\n");
        InputException e = assertThrows(InputException.class, () -> DiffusionTrainConfig.load(cosine, null));
        assertTrue(e.getMessage().contains("cos-bounds.yaml"), e.getMessage());
    }

    @Test
    void classConditionalTrainingNeedsLabelledData() {
        DiffusionTrainConfig cfg = DiffusionTrainConfig.load(null,
                JsonNodeFactory.instance.objectNode().put("class_conditional", true));
        assertThrows(IllegalArgumentException.class, () -> cfg.forData(4, 0));
        assertEquals(3, cfg.forData(1, 3).model().numClasses());
        assertEquals(1, cfg.forData(1, 3).model().inChannels());
    }
}
