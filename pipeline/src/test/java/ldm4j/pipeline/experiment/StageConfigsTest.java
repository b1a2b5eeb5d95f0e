package ldm4j.pipeline.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import ldm4j.autoencoder.train.AutoencoderTrainConfig;
import ldm4j.core.InputException;
import ldm4j.core.data.DatasetInfo;
import ldm4j.core.io.Json;
import ldm4j.diffusion.train.DiffusionTrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A run config's stage sections take the stages' snake_case keys and are resolved into typed configs
 * when the file is read; errors name the key where the file has it.
 */
class StageConfigsTest {
    @TempDir
    Path dir;

    private Path write(String... lines) throws IOException {
        return Files.writeString(dir.resolve("run.yaml"), String.join("\n", lines) + "\n");
    }

    @Test
    void autoencoderSectionTakesSnakeCaseKeys() throws IOException {
        Path yaml = write("name: x", "data: mnist", "autoencoder:",
                "  model: {ch: 16, ch_mult: [1, 2], num_res_blocks: 2, z_channels: 3}",
                "  batch_size: 8", "  eval_every: 0");
        RunConfig run = RunConfig.read(yaml);
        AutoencoderTrainConfig c = run.autoencoder().forData(1);
        assertEquals(List.of(1, 2), c.model().chMult());
        assertEquals(2, c.model().numResBlocks());
        assertEquals(3, c.model().zChannels());
        assertEquals(8, c.batchSize());
        assertEquals(0, c.evalEvery());
    }

    /** More UNet steps continue its checkpoint only while nothing in training depends on the step count. */
    @Test
    void diffusionStepsExtendExactlyOnlyUnderAConstantLearningRate() throws IOException {
        DatasetInfo data = new DatasetInfo("toy", "1", 20, 1, 8, 8, 2, List.of("a", "b"), 16, 4, new double[] {0},
                new double[] {1}, dir, "hash");
        Path constant = write("name: x", "data: toy", "diffusion: {steps: 40, warmup: 5}");
        assertTrue(StageInputs.resolve(RunConfig.read(constant), data).byStage().get(Stage.DIFFUSION)
                .stepsExtendExactly());
        Path cosine = write("name: x", "data: toy", "diffusion: {steps: 40, warmup: 5, lr_decay: cosine, min_lr: 1.0e-6}");
        assertFalse(StageInputs.resolve(RunConfig.read(cosine), data).byStage().get(Stage.DIFFUSION)
                .stepsExtendExactly());
    }

    /**
     * `ldm4j run` with every training stage cut to a few steps: each too-long cosine warm-up is
     * shortened to a tenth of its stage's run, and said once, naming where the steps came from.
     */
    @Test
    void shortStagesShortenTheirWarmupsEachSaidOnce() throws IOException {
        DatasetInfo data = new DatasetInfo("toy", "1", 20, 1, 8, 8, 2, List.of("a", "b"), 16, 4, new double[] {0},
                new double[] {1}, dir, "hash");
        Path yaml = write("name: x", "data: toy", "autoencoder: {steps: 2}",
                "diffusion: {steps: 30, warmup: 200, lr_decay: cosine}", "baseline:", "  enabled: true",
                "  autoencoder: {steps: 1}");
        Logger logger = (Logger) LoggerFactory.getLogger("ldm4j.core.train.WarmupFit");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        StageInputs in;
        try {
            in = StageInputs.resolve(RunConfig.read(yaml), data);
        } finally {
            logger.detachAppender(lines);
        }
        assertEquals(0, in.autoencoder().warmup());
        assertEquals(3, in.diffusion().warmup());
        assertEquals(0, in.baselineAutoencoder().warmup());
        List<String> said = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(3, said.size(), said.toString());
        assertTrue(said.get(0).contains("100 steps (default)") && said.get(0).contains(yaml + ": autoencoder.steps"),
                said.get(0));
        assertTrue(said.get(1).contains("200 steps (" + yaml + ": diffusion.warmup)"), said.get(1));
        assertTrue(said.get(2).contains(yaml + ": baseline.autoencoder.steps"), said.get(2));
    }

    /** Every shipped preset, with the defaults' warm-up or its own, trains for any step count. */
    @Test
    void everyShippedPresetTakesAnyStepCount() {
        Path run = Path.of("../configs/fashion-quick.yaml");
        RunConfig preset = RunConfig.read(run);
        for (long steps : new long[] {1, 2, 3, 10, 80, 100, 199, 200, 201, 5000}) {
            List<AutoencoderTrainConfig> aes = List.of(
                    AutoencoderTrainConfig.resolve(AutoencoderTrainConfig.defaults(1), null, Map.of("steps", steps)),
                    AutoencoderTrainConfig.resolve(AutoencoderTrainConfig.defaults(1),
                            Path.of("../configs/ae-fashion-quick.yaml"), Map.of("steps", steps)),
                    AutoencoderTrainConfig.resolve(AutoencoderTrainConfig.defaults(1),
                            ((ObjectNode) preset.autoencoder().keys()).deepCopy().put("steps", steps), run,
                            "autoencoder"));
            for (AutoencoderTrainConfig c : aes) {
                assertTrue(c.warmup() < steps && c.schedule().lr(steps - 1) > 0, "steps " + steps + ": " + c);
            }
            List<DiffusionTrainConfig> unets = List.of(
                    DiffusionTrainConfig.load(null, JsonNodeFactory.instance.objectNode().put("steps", steps)),
                    DiffusionTrainConfig.load(Path.of("../configs/ldm-fashion-quick.yaml"),
                            JsonNodeFactory.instance.objectNode().put("steps", steps)),
                    DiffusionTrainConfig.resolve(((ObjectNode) Json.MAPPER.valueToTree(preset.diffusion()))
                            .put("steps", steps), run, "diffusion"));
            for (DiffusionTrainConfig c : unets) {
                assertTrue(c.lrSchedule().lr(steps - 1) > 0, "steps " + steps + ": " + c);
            }
        }
    }

    @Test
    void shippedRunPresetGivesBothAutoencoders() {
        Path yaml = Path.of("../configs/fashion-quick.yaml");
        RunConfig run = RunConfig.read(yaml);
        AutoencoderTrainConfig main = run.autoencoder().forData(1);
        AutoencoderTrainConfig vae = run.baseline().autoencoder().forData(1);
        assertEquals(List.of(1, 2, 2), main.model().chMult());
        assertEquals(32, main.batchSize());
        assertEquals(1.0, vae.beta());
        // The demo's baseline is configs/vae-fashion.yaml cut to the demo's budget: only steps and
        // the size of its final test differ.
        AutoencoderTrainConfig preset = AutoencoderTrainConfig.resolve(AutoencoderTrainConfig.defaults(1),
                Path.of("../configs/vae-fashion.yaml"), Map.of());
        assertEquals(preset.model(), vae.model());
        assertEquals(List.of(preset.loss(), preset.sigma(), preset.beta(), preset.batchSize(), preset.lr(),
                preset.lrDecay(), preset.warmup(), preset.weightDecay(), preset.gradClip(), preset.ema()),
                List.of(vae.loss(), vae.sigma(), vae.beta(), vae.batchSize(), vae.lr(), vae.lrDecay(), vae.warmup(),
                        vae.weightDecay(), vae.gradClip(), vae.ema()));
        assertTrue(vae.steps() < preset.steps(), "the demo trains the preset for fewer steps");
    }

    @Test
    void demoAutoencoderTrainsExactlyAsTheStageOnePreset() {
        // The README reports the demo's autoencoder stage as the measurement of configs/ae-fashion-quick.yaml.
        Path run = Path.of("../configs/fashion-quick.yaml");
        AutoencoderTrainConfig demo = RunConfig.read(run).autoencoder().forData(1);
        AutoencoderTrainConfig preset = AutoencoderTrainConfig.resolve(AutoencoderTrainConfig.defaults(1),
                Path.of("../configs/ae-fashion-quick.yaml"), Map.of());
        assertEquals(List.of(preset.model(), preset.loss(), preset.beta(), preset.steps(), preset.batchSize(),
                        preset.lr(), preset.minLr(), preset.lrDecay(), preset.warmup(), preset.weightDecay(),
                        preset.gradClip(), preset.ema(), preset.disc(), preset.seed()),
                List.of(demo.model(), demo.loss(), demo.beta(), demo.steps(), demo.batchSize(), demo.lr(),
                        demo.minLr(), demo.lrDecay(), demo.warmup(), demo.weightDecay(), demo.gradClip(), demo.ema(),
                        demo.disc(), demo.seed()));
    }

    @Test
    void demoUNetTrainsExactlyAsTheStageTwoPreset() {
        // The README reports the demo's diffusion stage as the measurement of configs/ldm-fashion-quick.yaml.
        Path run = Path.of("../configs/fashion-quick.yaml");
        DiffusionTrainConfig demo = RunConfig.read(run).diffusion();
        DiffusionTrainConfig preset = DiffusionTrainConfig.load(Path.of("../configs/ldm-fashion-quick.yaml"), null);
        DiffusionTrainConfig p = preset.forData(4, 10);
        DiffusionTrainConfig d = demo.forData(4, 10);
        assertEquals(List.of(p.model(), p.schedule(), p.betaStart(), p.betaEnd(), p.timesteps(), p.prediction(), p.weighting(), p.steps(),
                        p.batchSize(), p.lr(), p.warmup(), p.lrDecay(), p.minLr(), p.weightDecay(), p.gradClip(),
                        p.emaDecay(), p.classConditional(), p.labelDropout()),
                List.of(d.model(), d.schedule(), d.betaStart(), d.betaEnd(), d.timesteps(), d.prediction(), d.weighting(), d.steps(),
                        d.batchSize(), d.lr(), d.warmup(), d.lrDecay(), d.minLr(), d.weightDecay(), d.gradClip(),
                        d.emaDecay(), d.classConditional(), d.labelDropout()));
    }

    @Test
    void camelCaseKeyInTheAutoencoderSectionIsOneLineWithTheSnakeCaseSpelling() throws IOException {
        Path yaml = write("name: x", "data: mnist", "autoencoder:", "  model: {ch: 16, chMult: [1, 2]}");
        InputException e = assertThrows(InputException.class, () -> RunConfig.read(yaml));
        assertEquals(yaml + ": unknown key 'autoencoder.model.chMult' at line 4 (did you mean 'ch_mult'?)",
                e.getMessage());
    }

    @Test
    void badKeyOfTheBaselineIsNamedUnderBaseline() throws IOException {
        Path yaml = write("name: x", "data: mnist", "autoencoder:", "  steps: 500", "baseline:",
                "  autoencoder: {beta: 1.0, evalEvery: 0}");
        InputException e = assertThrows(InputException.class, () -> RunConfig.read(yaml));
        assertEquals(yaml + ": unknown key 'baseline.autoencoder.evalEvery' at line 6 (did you mean 'eval_every'?)",
                e.getMessage());
    }

    @Test
    void badKeyOfTheMainSectionIsNamedThereEvenWhenTheBaselineIsBuilt() throws IOException {
        Path yaml = write("name: x", "data: mnist", "autoencoder:", "  logEvery: 5");
        InputException e = assertThrows(InputException.class, () -> RunConfig.read(yaml));
        assertEquals(yaml + ": unknown key 'autoencoder.logEvery' at line 4 (did you mean 'log_every'?)",
                e.getMessage());
    }

    /** An experiment's variant: overrides on top of the file, as a command's flags are on its --config. */
    @Test
    void overridesLayerOnTheFileAndTheBaselineKeepsItsOwnChanges() throws IOException {
        Path yaml = write("name: x", "data: mnist", "autoencoder:", "  beta: 1.0e-6", "  model: {ch: 16}",
                "diffusion: {steps: 40, warmup: 5}");
        RunConfig run = RunConfig.read(yaml, Map.of("name", "x-beta-0.5", "seed", 7, "autoencoder.beta", 0.5,
                "autoencoder.model.ch_mult", List.of(1, 2), "diffusion.steps", 60, "baseline.autoencoder.steps", 30));
        assertEquals("x-beta-0.5", run.name());
        AutoencoderTrainConfig ae = run.autoencoder().forData(1);
        assertEquals(0.5, ae.beta());
        assertEquals(16, ae.model().ch());
        assertEquals(List.of(1, 2), ae.model().chMult());
        assertEquals(7, ae.seed());
        assertEquals(60, run.diffusion().steps());
        assertEquals(5, run.diffusion().warmup());
        AutoencoderTrainConfig vae = run.baseline().autoencoder().forData(1);
        assertEquals(1.0, vae.beta(), "the baseline's own beta beats the main section's override");
        assertEquals(List.of(1, 2), vae.model().chMult(), "but it takes the main section's architecture");
        assertEquals(30, vae.steps());

        InputException e = assertThrows(InputException.class,
                () -> RunConfig.read(yaml, Map.of("autoencoder.beta", -1.0)));
        assertTrue(e.getMessage().contains("beta"), e.getMessage());
    }

    /** A section is resolved before the data is open: the data's channels come in later, unless the file sets them. */
    @Test
    void autoencoderSectionTakesTheDatasChannelsUnlessItSetsThem() throws IOException {
        Path yaml = write("name: x", "data: emoji", "autoencoder: {beta: 0.5, loss: l2, model: {ch: 16}}");
        AutoencoderTrainConfig grey = RunConfig.read(yaml).autoencoder().forData(1);
        AutoencoderTrainConfig rgb = RunConfig.read(yaml).autoencoder().forData(3);
        assertEquals(3, rgb.model().inChannels());
        assertEquals(grey.model().ch(), rgb.model().ch());
        assertEquals(List.of(grey.loss(), grey.beta(), grey.steps(), grey.lrDecay(), grey.disc(), grey.seed()),
                List.of(rgb.loss(), rgb.beta(), rgb.steps(), rgb.lrDecay(), rgb.disc(), rgb.seed()));

        Path fixed = write("name: x", "data: emoji", "autoencoder: {model: {in_channels: 3}}");
        assertEquals(3, RunConfig.read(fixed).autoencoder().forData(1).model().inChannels(),
                "channels the file sets are kept (and refused by the trainer when the data has others)");
    }
}
