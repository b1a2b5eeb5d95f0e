package ldm4j.diffusion.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import ldm4j.core.InputException;
import ldm4j.core.io.ConfigEnum;
import ldm4j.core.io.Json;
import ldm4j.core.train.LrSchedule;
import ldm4j.diffusion.objective.LossWeighting;
import ldm4j.diffusion.objective.Prediction;
import ldm4j.diffusion.sampler.Sampler;
import ldm4j.diffusion.sampler.TimestepSpacing;
import ldm4j.diffusion.schedule.BetaSchedule;
import ldm4j.diffusion.unet.UNetConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The diffusion stage's choices by their YAML names, and configs written while they were strings. */
class DiffusionConfigSpellingTest {
    /** The {@code diffusion} section of configs/fashion-quick.yaml resolved, as main wrote it at 08357af. */
    private static final String PRESET_08357AF = """
            {
              "model" : {
                "in_channels" : 4,
                "model_channels" : 64,
                "channel_mult" : [ 1, 2 ],
                "num_res_blocks" : 2,
                "attention_resolutions" : [ 2 ],
                "num_heads" : 4,
                "head_channels" : 0,
                "dropout" : 0.0,
                "num_classes" : 0
              },
              "schedule" : "scaled-linear",
              "timesteps" : 1000,
              "beta_start" : 8.5E-4,
              "beta_end" : 0.012,
              "prediction" : "eps",
              "weighting" : "uniform",
              "steps" : 1629,
              "batch_size" : 64,
              "lr" : 3.0E-4,
              "warmup" : 100,
              "weight_decay" : 0.0,
              "grad_clip" : 1.0,
              "ema_decay" : 0.9999,
              "class_conditional" : true,
              "label_dropout" : 0.1,
              "seed" : 0,
              "log_every" : 50,
              "sample_every" : 500,
              "checkpoint_every" : 500,
              "sample_count" : 20,
              "sample_steps" : 50,
              "sample_guidance" : 2.0
            }""";

    /** A cosine, v-prediction, min-SNR run with a cosine learning-rate decay, as main wrote it at 08357af. */
    private static final String VARIANT_08357AF = """
            {
              "model" : {
                "in_channels" : 4,
                "model_channels" : 64,
                "channel_mult" : [ 1, 2 ],
                "num_res_blocks" : 2,
                "attention_resolutions" : [ 2 ],
                "num_heads" : 4,
                "head_channels" : 0,
                "dropout" : 0.0,
                "num_classes" : 0
              },
              "schedule" : "cosine",
              "timesteps" : 1000,
              "prediction" : "v",
              "weighting" : "min-snr",
              "steps" : 40,
              "batch_size" : 64,
              "lr" : 1.0E-4,
              "warmup" : 5,
              "lr_decay" : "cosine",
              "min_lr" : 1.0E-6,
              "weight_decay" : 0.0,
              "grad_clip" : 0.5,
              "ema_decay" : 0.9999,
              "class_conditional" : false,
              "label_dropout" : 0.1,
              "seed" : 7,
              "log_every" : 50,
              "sample_every" : 1000,
              "checkpoint_every" : 1000,
              "sample_count" : 16,
              "sample_steps" : 50,
              "sample_guidance" : 2.0
            }""";

    @TempDir
    Path dir;

    static Stream<Enum<?>> choices() {
        return Stream.of(BetaSchedule.values(), Prediction.values(), LossWeighting.values(), Sampler.values(),
                TimestepSpacing.values()).flatMap(Stream::of);
    }

    @ParameterizedTest
    @MethodSource("choices")
    void everyChoiceRoundTripsItsYamlName(Enum<?> choice) throws Exception {
        String id = ((ConfigEnum) choice).id();
        assertEquals("\"" + id + "\"", Json.MAPPER.writeValueAsString(choice));
        assertSame(choice, Json.MAPPER.readValue("\"" + id + "\"", choice.getDeclaringClass()));
        assertSame(choice, Json.YAML.readValue(id, choice.getDeclaringClass()));
        assertSame(choice, Json.YAML.readValue(Json.YAML.writeValueAsString(choice), choice.getDeclaringClass()));
        // The Java name reads too, and means the same constant: no id is another constant's name.
        assertSame(choice, ConfigEnum.find(choice.getDeclaringClass(), choice.name()));
    }

    @Test
    void theYamlNamesAreThoseTheConfigsAndFlagsUse() {
        assertEquals("linear, scaled-linear, cosine", ConfigEnum.ids(BetaSchedule.class));
        assertEquals("eps, v", ConfigEnum.ids(Prediction.class));
        assertEquals("uniform, min-snr", ConfigEnum.ids(LossWeighting.class));
        assertEquals("ddpm, ddim, dpm++2m", ConfigEnum.ids(Sampler.class));
        assertEquals("uniform, trailing", ConfigEnum.ids(TimestepSpacing.class));
        assertSame(TimestepSpacing.LEADING, TimestepSpacing.fromString("leading"));
    }

    @Test
    void unknownNameIsOneLineListingTheNames() {
        assertEquals("expected one of ddpm, ddim, dpm++2m, got 'euler'",
                assertThrows(IllegalArgumentException.class, () -> Sampler.fromString("euler")).getMessage());
    }

    @Test
    void configsWrittenWhileChoicesWereStringsReadAndWriteTheSame() throws Exception {
        DiffusionTrainConfig preset = Json.MAPPER.readValue(PRESET_08357AF, DiffusionTrainConfig.class);
        UNetConfig unet = new UNetConfig(4, 64, List.of(1, 2), 2, List.of(2), 4, 0, 0.0, 0);
        assertEquals(new DiffusionTrainConfig(unet, BetaSchedule.SCALED_LINEAR, 1000, 8.5e-4, 0.012, Prediction.EPS,
                LossWeighting.UNIFORM, 1629, 64, 3e-4, 100, LrSchedule.Decay.CONSTANT, 0.0, 0.0, 1.0, 0.9999, true, 0.1,
                0, 50, 500, 500, 20, 50, 2.0), preset);
        assertEquals(PRESET_08357AF, Json.MAPPER.writeValueAsString(preset));

        DiffusionTrainConfig variant = Json.MAPPER.readValue(VARIANT_08357AF, DiffusionTrainConfig.class);
        assertEquals(new DiffusionTrainConfig(unet, BetaSchedule.COSINE, 1000, 0.0, 0.0, Prediction.V,
                LossWeighting.MIN_SNR, 40, 64, 1e-4, 5, LrSchedule.Decay.COSINE, 1e-6, 0.0, 0.5, 0.9999, false, 0.1,
                7, 50, 1000, 1000, 16, 50, 2.0), variant);
        assertEquals(VARIANT_08357AF, Json.MAPPER.writeValueAsString(variant));
    }

    @Test
    void unknownScheduleInAFileNamesTheKeyLineAndTheNames() throws Exception {
        Path yaml = dir.resolve("ldm.yaml");
        Files.writeString(yaml, "steps: 10\nschedule: quadratic\n");
        InputException e = assertThrows(InputException.class, () -> DiffusionTrainConfig.load(yaml, null));
        assertEquals(yaml + ": bad value 'quadratic' for 'schedule' at line 2, expected one of linear, scaled-linear,"
                + " cosine", e.getMessage());
    }
}
