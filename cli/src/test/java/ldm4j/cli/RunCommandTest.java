package ldm4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import ldm4j.core.io.Json;
import ldm4j.core.io.Npy;
import ldm4j.core.io.NpyArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ldm4j run} end to end on tiny synthetic squares: every stage, skipping and forcing. */
class RunCommandTest {
    @TempDir
    Path dir;

    private Path writeConfig(String data, String extra) throws IOException {
        Path yaml = dir.resolve("tiny.yaml");
        Files.writeString(yaml, String.join("\n",
                "name: tiny",
                "data: " + data,
                "seed: 3",
                "autoencoder:",
                "  model: {ch: 16, ch_mult: [1, 2], num_res_blocks: 1, z_channels: 2, attention: false}",
                "  steps: 6",
                "  batch_size: 8",
                "  warmup: 1",
                "  eval_every: 0",
                "  checkpoint_every: 0",
                "  eval_images: 12",
                "  final_eval_images: 12",
                "  scale_images: 24",
                "diffusion:",
                "  model: {model_channels: 16, channel_mult: [1], num_res_blocks: 1, attention_resolutions: []}",
                "  steps: 4",
                "  batch_size: 8",
                "  warmup: 1",
                "  class_conditional: true",
                "  sample_every: 0",
                "  checkpoint_every: 0",
                "  sample_count: 4",
                "  sample_steps: 2",
                "sample: {count: 9, batch_size: 5, sampler: dpm++2m, steps: 3, grid_count: 4}",
                "baseline:",
                "  autoencoder: {steps: 3}",
                "eval: {classifier_steps: 20}",
                extra, ""));
        return yaml;
    }

    @Test
    void runWritesEveryStageSkipsFinishedOnesAndForceRedoesThem() throws IOException {
        String data = TinyLatentRun.writeSquares(dir, 30); // the classifier trains with batches of 64
        Path config = writeConfig(data, "");
        Path run = dir.resolve("runs/tiny");

        CliTestSupport.Result first = CliTestSupport.run("run", config.toString(), "--out", run.toString());
        assertEquals(0, first.exitCode(), first.err());
        for (String f : new String[] {"config.yaml", "run-state.json", "summary.md", "summary.json",
            "autoencoder/checkpoint/checkpoint.json", "autoencoder/reconstructions.png", "latents/latents.json",
            "diffusion/checkpoint/checkpoint.json", "samples/grid.png", "samples/samples.npy", "samples/labels.npy",
            "baseline/autoencoder/checkpoint/checkpoint.json", "baseline/samples/samples.npy", "eval/metrics.json"}) {
            assertTrue(Files.isRegularFile(run.resolve(f)), "missing " + f);
        }
        NpyArray samples = Npy.read(run.resolve("samples/samples.npy"));
        assertArrayEquals(new long[] {9, 1, 16, 16}, samples.shape());
        JsonNode summary = Json.readTree(run.resolve("summary.json"));
        for (String stage : new String[] {"data", "autoencoder", "encode", "diffusion", "sample", "baseline", "eval"}) {
            assertTrue(summary.path("stage_seconds").has(stage), "no wall time for " + stage);
        }
        assertTrue(summary.path("eval").path("ldm").path("fd").isNumber(), summary.toString());
        assertTrue(summary.path("eval").path("vae_prior").path("fd").isNumber(), summary.toString());
        assertTrue(summary.path("autoencoder").path("test").path("psnr").isNumber(), summary.toString());
        assertTrue(first.out().contains("Latent diffusion vs the pixel-space VAE sampler"), first.out());

        // A second run finds every stage done and touches no checkpoint.
        Path aeSidecar = run.resolve("autoencoder/checkpoint/checkpoint.json");
        FileTime before = Files.getLastModifiedTime(aeSidecar);
        CliTestSupport.Result again = CliTestSupport.run("run", config.toString(), "--out", run.toString());
        assertEquals(0, again.exitCode(), again.err());
        assertEquals(before, Files.getLastModifiedTime(aeSidecar));

        // A killed run that lost its later stages picks up from the first missing one.
        JsonNode state = Json.readTree(run.resolve("run-state.json"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) state.path("seconds")).remove("eval");
        Json.write(run.resolve("run-state.json"), state);
        Files.delete(run.resolve("eval/metrics.json"));
        CliTestSupport.Result resumed = CliTestSupport.run("run", config.toString(), "--out", run.toString());
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(Files.isRegularFile(run.resolve("eval/metrics.json")));
        assertEquals(before, Files.getLastModifiedTime(aeSidecar));

        CliTestSupport.Result forced =
                CliTestSupport.run("run", config.toString(), "--out", run.toString(), "--force");
        assertEquals(0, forced.exitCode(), forced.err());
        assertTrue(Files.getLastModifiedTime(aeSidecar).compareTo(before) > 0, "--force must retrain");
    }

    @Test
    void unknownConfigKeyIsOneLineNamingTheFileAndNothingIsWritten() throws IOException {
        Path config = writeConfig("fashion-mnist", "sampel: {count: 3}");
        Path run = dir.resolve("runs/bad");
        CliTestSupport.Result r = CliTestSupport.run("run", config.toString(), "--out", run.toString());
        assertEquals(2, r.exitCode());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("tiny.yaml") && r.err().contains("sampel"), r.err());
        assertTrue(Files.notExists(run));
    }
}
