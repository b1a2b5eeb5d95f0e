package ldm4j.autoencoder.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import ldm4j.autoencoder.AutoencoderConfig;
import ldm4j.autoencoder.latent.LatentMode;
import ldm4j.autoencoder.loss.DiscriminatorConfig;
import ldm4j.autoencoder.loss.ReconstructionLoss;
import ldm4j.core.InputException;
import ldm4j.core.io.ConfigEnum;
import ldm4j.core.io.Json;
import ldm4j.core.train.GivenKeys;
import ldm4j.core.train.LrSchedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * The autoencoder's choices by their YAML names, and configs written before they had them (loss
 * {@code L1}, lr_decay {@code COSINE}, and {@code clip} for {@code grad_clip}).
 */
class AutoencoderConfigSpellingTest {
    /** {@code AutoencoderTrainConfig.defaults(3)} in a checkpoint sidecar, as main wrote it at 08357af. */
    private static final String SIDECAR_CONFIG_08357AF = """
            {
              "model" : {
                "in_channels" : 3,
                "ch" : 32,
                "ch_mult" : [ 1, 2, 2 ],
                "num_res_blocks" : 1,
                "z_channels" : 4,
                "attention" : true,
                "dropout" : 0.0
              },
              "loss" : "L1",
              "beta" : 1.0E-6,
              "steps" : 2000,
              "batch_size" : 32,
              "lr" : 0.001,
              "min_lr" : 1.0E-5,
              "lr_decay" : "COSINE",
              "warmup" : 100,
              "weight_decay" : 0.0,
              "clip" : 1.0,
              "ema" : false,
              "ema_decay" : 0.999,
              "disc" : {
                "enabled" : false,
                "start" : 50001,
                "weight" : 0.5,
                "channels" : 64,
                "layers" : 3,
                "lr" : 4.5E-6
              },
              "eval_every" : 500,
              "eval_images" : 1000,
              "final_eval_images" : 0,
              "scale_images" : 2000,
              "checkpoint_every" : 500,
              "log_every" : 10,
              "reconstruction_images" : 16,
              "seed" : 0
            }""";

    /** The config.yaml train-ae wrote next to a checkpoint at 08357af (an NLL run with clip 0.5). */
    private static final String CONFIG_YAML_08357AF = """
            model:
              in_channels: 1
              ch: 32
              ch_mult:
              - 1
              - 2
              - 2
              num_res_blocks: 1
              z_channels: 4
              attention: true
              dropout: 0.0
            loss: "NLL"
            beta: 1.0
            steps: 30
            batch_size: 32
            lr: 0.001
            min_lr: 1.0E-5
            lr_decay: "CONSTANT"
            warmup: 3
            weight_decay: 0.0
            clip: 0.5
            ema: false
            ema_decay: 0.999
            disc:
              enabled: false
              start: 50001
              weight: 0.5
              channels: 64
              layers: 3
              lr: 4.5E-6
            eval_every: 500
            eval_images: 1000
            final_eval_images: 0
            scale_images: 2000
            checkpoint_every: 500
            log_every: 10
            reconstruction_images: 16
            seed: 7
            """;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(ReconstructionLoss.class)
    void everyLossRoundTripsItsYamlName(ReconstructionLoss loss) throws Exception {
        assertEquals(loss.name().toLowerCase(java.util.Locale.ROOT), loss.id());
        assertEquals("\"" + loss.id() + "\"", Json.MAPPER.writeValueAsString(loss));
        assertSame(loss, Json.YAML.readValue(loss.id(), ReconstructionLoss.class));
    }

    @ParameterizedTest
    @EnumSource(LatentMode.class)
    void everyLatentModeRoundTripsItsYamlName(LatentMode mode) throws Exception {
        assertEquals(mode.label(), mode.id());
        assertEquals("\"" + mode.id() + "\"", Json.MAPPER.writeValueAsString(mode));
        assertSame(mode, Json.YAML.readValue(mode.id(), LatentMode.class));
    }

    @Test
    void theYamlNamesAreThoseThePresetsUse() {
        assertEquals("l1, l2, nll", ConfigEnum.ids(ReconstructionLoss.class));
        assertEquals("mean, sample", ConfigEnum.ids(LatentMode.class));
        assertEquals("constant, cosine", ConfigEnum.ids(LrSchedule.Decay.class));
    }

    @Test
    void sidecarWrittenBeforeTheYamlNamesReadsAsTheSameConfig() throws Exception {
        AutoencoderTrainConfig c = AutoencoderTrainConfig.fromSidecar(Json.MAPPER.readTree(SIDECAR_CONFIG_08357AF),
                dir.resolve("checkpoint.json"));
        assertEquals(AutoencoderTrainConfig.defaults(3), c);
        // Written again, it differs in exactly the three spellings that changed.
        assertEquals(SIDECAR_CONFIG_08357AF.replace("\"L1\"", "\"l1\"").replace("\"COSINE\"", "\"cosine\"")
                .replace("\"clip\"", "\"grad_clip\""), Json.MAPPER.writeValueAsString(c));
        assertEquals(c, AutoencoderTrainConfig.fromSidecar(Json.MAPPER.valueToTree(c), dir.resolve("checkpoint.json")));
    }

    @Test
    void configYamlWrittenBeforeTheRenameStillReadsSayingWhatToWrite() throws Exception {
        Path yaml = dir.resolve("config.yaml");
        Files.writeString(yaml, CONFIG_YAML_08357AF);
        List<String> said = new java.util.ArrayList<>();
        AutoencoderTrainConfig c = logged(said, () -> AutoencoderTrainConfig.resolve(
                AutoencoderTrainConfig.defaults(1), GivenKeys.file(yaml)));
        AutoencoderTrainConfig expected = new AutoencoderTrainConfig(
                new AutoencoderConfig(1, 32, List.of(1, 2, 2), 1, 4, true, 0f), ReconstructionLoss.NLL, 1.0, 30, 32,
                1e-3, 1e-5, LrSchedule.Decay.CONSTANT, 3, 0.0, 0.5, false, 0.999, DiscriminatorConfig.off(), 500,
                1000, 0, 2000, 500, 10, 16, 7, AutoencoderTrainConfig.DEFAULT_SIGMA);
        assertEquals(expected, c);
        assertEquals(List.of(yaml + ": clip is the old name of grad_clip; it still reads, but write grad_clip"), said);
        // What train-ae writes now reads back without a word.
        Path now = dir.resolve("now.yaml");
        Json.writeYaml(now, c);
        String text = Files.readString(now);
        assertTrue(text.contains("loss: \"nll\"") && text.contains("lr_decay: \"constant\"")
                && text.contains("grad_clip: 0.5"), text);
        said.clear();
        assertEquals(c, logged(said, () -> AutoencoderTrainConfig.resolve(AutoencoderTrainConfig.defaults(1),
                GivenKeys.file(now))));
        assertEquals(List.of(), said);
    }

    @Test
    void overridesByTheOldNameStillReach() {
        assertEquals(0.25, AutoencoderTrainConfig.resolve(AutoencoderTrainConfig.defaults(1), null,
                Map.of("clip", 0.25)).gradClip());
    }

    @Test
    void bothNamesOfTheClipInOneFileIsOneLineSayingWhichToKeep() throws Exception {
        Path yaml = dir.resolve("both.yaml");
        Files.writeString(yaml, "clip: 0.5\ngrad_clip: 0.25\n");
        InputException e = assertThrows(InputException.class, () -> AutoencoderTrainConfig.resolve(
                AutoencoderTrainConfig.defaults(1), yaml, Map.of()));
        assertEquals(yaml + ": sets both clip and grad_clip; clip is the old name of grad_clip, keep only grad_clip",
                e.getMessage());
    }

    @Test
    void resumingWithAnOldClipThatContradictsTheCheckpointNamesGradClip() throws Exception {
        AutoencoderTrainConfig saved = AutoencoderTrainConfig.defaults(1);
        Path yaml = dir.resolve("old.yaml");
        Files.writeString(yaml, "clip: 0.5\n");
        InputException e = assertThrows(InputException.class, () -> AutoencoderTrainConfig.resume(saved,
                AutoencoderTrainConfig.defaults(1), GivenKeys.file(yaml), dir));
        assertEquals(yaml + " gives grad_clip = 0.5, but the checkpoint " + dir + " has grad_clip = 1.0; a resumed run"
                + " keeps its config (only --steps may change)", e.getMessage());
    }

    @Test
    void unknownLossInAFileIsOneLineListingTheLosses() throws Exception {
        Path yaml = dir.resolve("bad.yaml");
        Files.writeString(yaml, "beta: 1.0\nloss: l3\n");
        InputException e = assertThrows(InputException.class, () -> AutoencoderTrainConfig.resolve(
                AutoencoderTrainConfig.defaults(1), yaml, Map.of()));
        assertEquals(yaml + ": bad value 'l3' for 'loss' at line 2, expected one of l1, l2, nll", e.getMessage());
    }

    private static <T> T logged(List<String> into, Supplier<T> action) {
        Logger logger = (Logger) LoggerFactory.getLogger(GivenKeys.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            return action.get();
        } finally {
            logger.detachAppender(lines);
            lines.list.forEach(l -> into.add(l.getFormattedMessage()));
        }
    }
}
