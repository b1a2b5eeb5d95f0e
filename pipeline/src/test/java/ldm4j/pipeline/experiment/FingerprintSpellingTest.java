package ldm4j.pipeline.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ldm4j.autoencoder.latent.LatentMode;
import ldm4j.core.InputException;
import ldm4j.core.data.DatasetInfo;
import ldm4j.core.io.Json;
import ldm4j.diffusion.sampler.Sampler;
import ldm4j.diffusion.sampler.TimestepSpacing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Giving the choices YAML names and renaming the autoencoder's {@code clip} to {@code grad_clip}
 * changed how configs are written, not what a run is: the stage fingerprints of a config are those
 * main computed at 08357af, before the change, so {@code ldm4j run} redoes no stage of an existing run.
 */
class FingerprintSpellingTest {
    /** configs/fashion-quick.yaml at 08357af, comments left out. */
    private static final String PRESET = """
            name: fashion-quick
            data: fashion-mnist
            seed: 0
            autoencoder:
              model: {ch: 32, ch_mult: [1, 2, 2], num_res_blocks: 1, z_channels: 4, attention: true}
              loss: l1
              beta: 1.0e-6
              steps: 1157
              batch_size: 32
              lr: 1.0e-3
              lr_decay: constant
              warmup: 0
              eval_every: 0
              final_eval_images: 0
              checkpoint_every: 500
            encode:
              mode: mean
              batch_size: 64
            diffusion:
              model: {model_channels: 64, channel_mult: [1, 2], num_res_blocks: 2, attention_resolutions: [2], num_heads: 4}
              schedule: scaled-linear
              beta_start: 0.00085
              beta_end: 0.012
              prediction: eps
              weighting: uniform
              steps: 1629
              batch_size: 64
              lr: 3.0e-4
              warmup: 100
              lr_decay: constant
              class_conditional: true
              label_dropout: 0.1
              sample_every: 500
              checkpoint_every: 500
              sample_count: 20
              sample_steps: 50
              sample_guidance: 2.0
            sample:
              count: 1000
              batch_size: 100
              sampler: ddim
              steps: 50
              guidance: 2.5
              grid_count: 100
            baseline:
              enabled: true
              autoencoder: {beta: 1.0, loss: nll, steps: 250, final_eval_images: 2000}
            eval:
              classifier_steps: 1500
            """;

    /** Every other choice, and a gradient clip, under the autoencoder's old key. */
    private static final String VARIANT = """
            name: v
            data: toy
            seed: 7
            autoencoder: {loss: nll, lr_decay: constant, clip: 0.5, beta: 1.0, steps: 30, warmup: 3}
            encode: {mode: sample, batch_size: 16}
            diffusion: {schedule: cosine, prediction: v, weighting: min-snr, lr_decay: cosine, min_lr: 1.0e-6, steps: 40, warmup: 5, grad_clip: 0.5}
            sample: {sampler: dpm++2m, spacing: trailing, steps: 20, count: 10, batch_size: 5, grid_count: 4}
            baseline: {enabled: true, autoencoder: {loss: l2, steps: 7}}
            """;

    @TempDir
    Path dir;

    @Test
    void thePresetKeepsTheFingerprintsOf08357af() throws IOException {
        assertEquals(Map.of(
                "data", "22a88f0678c74a16486f50e763c6fd63caa5a90cf95a36ece513b11c2d72d3db",
                "autoencoder", "4a944b174857a12cfc940a776830d0eb6d37e8799e47084335985e3372421f94",
                "encode", "4ebbce631ac9dc7933118b6f950f6c581cc1bc96902ce9f3f9e9e7c4ee000f24",
                "diffusion", "64804e514c9f122bacc32783940cbc06f8a5e1ab091c989a9aacae07408d0b21",
                "sample", "287315d4ab2a14136922f7ab4efc2bbe8fa5addc1c20d77844af5a184e7f36d8",
                "baseline", "739793b477fce49808c683f174eb6a246ab03d88f8e9ef557600a30f66afa803",
                "eval", "015c0eb4d6420dd54d17a5a026b3de2232d8d847416ad23d8049f389f8f6191c"),
                fingerprints(PRESET));
    }

    @Test
    void everyOtherChoiceKeepsItsFingerprintUnderEitherNameOfTheClip() throws IOException {
        Map<String, String> at08357af = Map.of(
                "data", "9db203a62303e6520a1c3ee7280b7701798b3d6493415004201e5f307577256b",
                "autoencoder", "9811e484790479207539bc516718319ffd06ca3239ca2b48af86edc1e5b3a362",
                "encode", "993b52b6c841e8c7fa26de0b3af9159cc577a1c780f77d04bff93466969b1b32",
                "diffusion", "36f6efcb69dc6477c9e5d76ba64ba6dc7d9e5e0f10921880f04020e0a8efb41d",
                "sample", "6b8d1a632c427ccc35b7083818461380ddb6d52a516319fe85b2dd321394207b",
                "baseline", "f5f418d4a4af378dc156809fb97176827b7761c607e027db0e176cf85d4da6c2",
                "eval", "c160ad24932f72661d14c69efa9e09604cac11ac437a9fb304db08d3d3944717");
        assertEquals(at08357af, fingerprints(VARIANT));
        assertEquals(at08357af, fingerprints(VARIANT.replace("clip: 0.5, beta", "grad_clip: 0.5, beta")));
    }

    @Test
    void sampleAndEncodeSettingsReadAndWriteAsAt08357af() throws Exception {
        String sample = """
                {
                  "count" : 10,
                  "batch_size" : 5,
                  "sampler" : "dpm++2m",
                  "steps" : 20,
                  "eta" : 0.0,
                  "spacing" : "trailing",
                  "guidance" : 2.0,
                  "grid_count" : 4
                }""";
        SampleSettings s = Json.MAPPER.readValue(sample, SampleSettings.class);
        assertEquals(new SampleSettings(10, 5, Sampler.DPMPP_2M, 20, 0.0, TimestepSpacing.TRAILING, 2.0, 4), s);
        assertEquals(sample, Json.MAPPER.writeValueAsString(s));
        String encode = """
                {
                  "mode" : "sample",
                  "batch_size" : 16
                }""";
        EncodeSettings e = Json.MAPPER.readValue(encode, EncodeSettings.class);
        assertSame(LatentMode.SAMPLE, e.mode());
        assertEquals(encode, Json.MAPPER.writeValueAsString(e));
    }

    @Test
    void unknownSamplerOrModeInARunConfigIsOneLineListingTheNames() throws IOException {
        Path yaml = Files.writeString(dir.resolve("run.yaml"), "name: x\ndata: toy\nsample:\n  sampler: euler\n");
        assertEquals(yaml + ": bad value 'euler' for 'sample.sampler' at line 4, expected one of ddpm, ddim, dpm++2m",
                assertThrows(InputException.class, () -> RunConfig.read(yaml)).getMessage());
        Files.writeString(yaml, "name: x\ndata: toy\nencode: {mode: median}\n");
        assertEquals(yaml + ": bad value 'median' for 'encode.mode' at line 3, expected one of mean, sample",
                assertThrows(InputException.class, () -> RunConfig.read(yaml)).getMessage());
    }

    /** Each enabled stage's fingerprint for the run config {@code text}, on a toy dataset whose cache hash is "hash". */
    private Map<String, String> fingerprints(String text) throws IOException {
        Path yaml = Files.writeString(dir.resolve("run.yaml"), text);
        DatasetInfo data = new DatasetInfo("toy", "1", 20, 1, 8, 8, 2, List.of("a", "b"), 16, 4, new double[] {0},
                new double[] {1}, dir, "hash");
        StageInputs in = StageInputs.resolve(RunConfig.read(yaml), data);
        RunPlan plan = RunPlan.of(RunState.empty(), in.byStage());
        Map<String, String> out = new LinkedHashMap<>();
        in.byStage().keySet().forEach(s -> out.put(s.id(), plan.step(s).fingerprint().sha256()));
        return out;
    }
}
