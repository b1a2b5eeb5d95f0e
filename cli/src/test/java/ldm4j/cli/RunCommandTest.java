package ldm4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import ldm4j.core.io.Json;
import ldm4j.core.io.Npy;
import ldm4j.core.io.NpyArray;
import ldm4j.pipeline.experiment.RunSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@code ldm4j run} end to end on tiny synthetic squares: every stage, skipping, forcing, and what an
 * edited config redoes.
 */
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
    void runWritesEveryStageSkipsFinishedOnesRedoesEditedOnesAndForceRedoesAll() throws IOException {
        String data = TinyLatentRun.writeSquares(dir, 30); // the classifier trains with batches of 64
        Path config = writeConfig(data, "");
        Path run = dir.resolve("runs/tiny");

        CliTestSupport.Result first = CliTestSupport.run("run", config.toString(), "--out", run.toString());
        assertEquals(0, first.exitCode(), first.err());
        for (String f : new String[] {"config.yaml", "run-state.json", "summary.md", "summary.json",
            "autoencoder/checkpoint/checkpoint.json", "autoencoder/reconstructions.png", "latents/latents.json",
            "diffusion/checkpoint/checkpoint.json", "samples/grid.png", "samples/samples.npy", "samples/labels.npy",
            "baseline/autoencoder/checkpoint/checkpoint.json", "baseline/samples/samples.npy", "eval/metrics.json",
            "report/index.html", "report/results.csv", "report/fd.png", "report/latent-histograms.png",
            "report/loss-diffusion.png"}) {
            assertTrue(Files.isRegularFile(run.resolve(f)), "missing " + f);
        }
        String page = Files.readString(run.resolve("report/index.html"));
        assertTrue(page.contains("95% interval"), "the report's FD sentence states its interval");
        NpyArray samples = Npy.read(run.resolve("samples/samples.npy"));
        assertArrayEquals(new long[] {9, 1, 16, 16}, samples.shape());
        JsonNode summary = Json.readTree(run.resolve("summary.json"));
        // Where /proc/self/clear_refs is writable each stage has its own peak, else the process's.
        boolean proc = Files.isReadable(Path.of("/proc/self/status"));
        String peaks = Files.isWritable(Path.of("/proc/self/clear_refs")) ? RunSummary.STAGE_PEAK
                : RunSummary.PROCESS_PEAK;
        for (String stage : new String[] {"data", "autoencoder", "encode", "diffusion", "sample", "baseline", "eval"}) {
            assertTrue(summary.path("stage_seconds").has(stage), "no wall time for " + stage);
            assertTrue(!proc || summary.path(peaks).path(stage).asDouble() > 0, "no peak RSS for " + stage + ": "
                    + summary);
        }
        assertTrue(first.out().contains("| stage | wall time | peak RSS |"), first.out());
        assertTrue(summary.path("eval").path("ldm").path("fd").isNumber(), summary.toString());
        assertTrue(summary.path("eval").path("vae_prior").path("fd").isNumber(), summary.toString());
        for (String ae : new String[] {"autoencoder", "baseline"}) {
            double rfd = summary.path("eval").path("reconstruction_fd").path(ae).asDouble(-1);
            assertTrue(rfd >= 0, ae + " rFD: " + summary.path("eval"));
        }
        assertTrue(summary.path("eval").path("autoencoder_prior").path("fd").isNumber(), "the compressor's own prior");
        assertTrue(Files.isRegularFile(run.resolve("eval/autoencoder_prior/grid.png")));
        for (String sampler : new String[] {"ldm", "vae_prior", "autoencoder_prior"}) {
            double unplaceable = summary.path("eval").path(sampler).path("unplaceableShare").asDouble(-1);
            assertTrue(unplaceable >= 0 && unplaceable <= 1, sampler + ": " + summary);
        }
        assertTrue(first.out().contains("| unplaceable (top class p < 0.5) ↓ |"), first.out());
        assertTrue(summary.path("autoencoder").path("test").path("psnr").isNumber(), summary.toString());
        assertTrue(first.out().contains("Latent diffusion vs the pixel-space VAE sampler"), first.out());
        assertTrue(first.out().contains("| effective β (the KL's weight against the summed error) |"), first.out());
        assertTrue(summary.path("baseline_autoencoder").path("betaEffective").isNumber(), summary.toString());

        comparesTheRunWithItsBaseline(run);

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

        editsRedoOnlyTheStagesTheyChange(config, run);

        CliTestSupport.Result forced =
                CliTestSupport.run("run", config.toString(), "--out", run.toString(), "--force");
        assertEquals(0, forced.exitCode(), forced.err());
        assertTrue(Files.getLastModifiedTime(aeSidecar).compareTo(before) > 0, "--force must retrain");
    }

    /**
     * On the finished run at {@code run}: an unchanged config redoes nothing, a sampling setting
     * redoes sample and eval, more diffusion steps continue the UNet, and a run-state.json without
     * fingerprints (an older ldm4j's) still skips what finished. Called on the caller's run, to share
     * its training, which is most of the time.
     */
    /** compare samples the run's pair and a VAE alike, scores both and states what each cost. */
    private static void comparesTheRunWithItsBaseline(Path run) throws IOException {
        Path out = run.resolveSibling("compare");
        CliTestSupport.Result r = CliTestSupport.run("compare", "--run", run.toString(), "--vae",
                run.resolve("baseline/autoencoder").toString(), "--n", "9", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode rows = Json.readTree(out.resolve("report/compare.json"));
        assertEquals(2, rows.size(), rows.toString());
        for (JsonNode row : rows) {
            assertEquals(9, row.path("metrics").path("samples").asInt(), row.toString());
            assertTrue(row.path("metrics").path("fd").isNumber(), row.toString());
            assertTrue(row.path("train_seconds").asDouble() > 0 && row.path("samples_per_second").asDouble() > 0,
                    row.toString());
        }
        assertTrue(rows.get(0).path("metrics").path("classAccuracy").isNumber(), "the run's pair draws classes");
        String page = Files.readString(out.resolve("report/index.html"));
        assertTrue(page.contains("Side by side") && Files.isRegularFile(out.resolve("report/fd.png")), page);
    }

    private static void editsRedoOnlyTheStagesTheyChange(Path config, Path run) throws IOException {
        // An unchanged config skips every stage.
        Map<String, FileTime> first = outputTimes(run);
        List<String> unchanged = logOf(() -> runOk(config, run));
        assertEquals(Set.of(), rewritten(first, outputTimes(run)));
        assertTrue(unchanged.stream().noneMatch(l -> l.contains("changed")), unchanged.toString());

        // A sampling setting redoes sample and eval; the trained models and the baseline stay.
        edit(config, "grid_count: 4}", "grid_count: 4, guidance: 3.5}");
        List<String> guidance = logOf(() -> runOk(config, run));
        Map<String, FileTime> second = outputTimes(run);
        assertEquals(Set.of("sample", "eval"), rewritten(first, second));
        assertTrue(guidance.contains("sample: config changed (guidance 2.0 → 3.5); re-running it and eval"),
                guidance.toString());

        // More diffusion steps continue the UNet from its checkpoint, then sample and eval again.
        edit(config, "\n  steps: 4\n", "\n  steps: 6\n");
        double trainedBefore = Json.readTree(run.resolve("run-state.json")).path("seconds").path("diffusion").asDouble();
        long t0 = System.nanoTime();
        List<String> steps = logOf(() -> runOk(config, run));
        double wall = (System.nanoTime() - t0) / 1e9;
        // Its wall time in the summary counts the 4 steps trained before and the 2 trained now.
        double trainedAll = Json.readTree(run.resolve("run-state.json")).path("seconds").path("diffusion").asDouble();
        assertTrue(trainedAll >= trainedBefore && trainedAll <= trainedBefore + wall,
                trainedBefore + " s before, " + wall + " s now, recorded " + trainedAll);
        assertEquals(Set.of("diffusion", "sample", "eval"), rewritten(second, outputTimes(run)));
        assertTrue(steps.contains("diffusion: config changed (steps 4 → 6); continuing its training from the"
                + " checkpoint to step 6, then re-running sample, eval"), steps.toString());
        assertTrue(steps.contains("resuming the diffusion model from its checkpoint at step 4"), steps.toString());
        assertEquals(6, Json.readTree(run.resolve("diffusion/checkpoint/checkpoint.json")).path("step").asLong());

        // A run-state.json from before fingerprints (none recorded) still skips the finished stages.
        Path stateFile = run.resolve("run-state.json");
        ObjectNode state = (ObjectNode) Json.readTree(stateFile);
        assertEquals(Set.of("data", "autoencoder", "encode", "diffusion", "sample", "baseline", "eval"),
                new TreeSet<>(state.path("fingerprints").properties().stream().map(Map.Entry::getKey).toList()));
        state.remove("fingerprints");
        state.remove("peakRss");
        Json.write(stateFile, state);
        Map<String, FileTime> third = outputTimes(run);
        runOk(config, run);
        assertEquals(Set.of(), rewritten(third, outputTimes(run)));
        assertTrue(Json.readTree(stateFile).path("fingerprints").has("diffusion"), "skipped stages record their config");
    }

    /** The outputs whose rewriting shows that a stage ran, by stage. */
    private static final Map<String, String> STAGE_OUTPUTS = new TreeMap<>(Map.of(
            "autoencoder", "autoencoder/checkpoint/checkpoint.json",
            "encode", "latents/latents.json",
            "diffusion", "diffusion/checkpoint/checkpoint.json",
            "sample", "samples/samples.npy",
            "baseline", "baseline/autoencoder/checkpoint/checkpoint.json",
            "baseline samples", "baseline/samples/samples.npy",
            "eval", "eval/metrics.json"));

    private static Map<String, FileTime> outputTimes(Path run) throws IOException {
        Map<String, FileTime> times = new TreeMap<>();
        for (Map.Entry<String, String> e : STAGE_OUTPUTS.entrySet()) {
            times.put(e.getKey(), Files.getLastModifiedTime(run.resolve(e.getValue())));
        }
        return times;
    }

    /** The stages whose outputs were rewritten between two {@link #outputTimes} snapshots. */
    private static Set<String> rewritten(Map<String, FileTime> before, Map<String, FileTime> after) {
        Set<String> changed = new TreeSet<>();
        before.forEach((stage, time) -> {
            if (!time.equals(after.get(stage))) {
                changed.add(stage);
            }
        });
        return changed;
    }

    private static void edit(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertTrue(text.contains(from), "no '" + from + "' in " + text);
        Files.writeString(file, text.replace(from, to));
    }

    /** What the run driver and the stage classes log during {@code body}. */
    private static List<String> logOf(IoAction body) throws IOException {
        Logger logger = (Logger) LoggerFactory.getLogger("ldm4j.pipeline"); // the run driver and the stages
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            body.run();
        } finally {
            logger.detachAppender(lines);
        }
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static void runOk(Path config, Path run) {
        CliTestSupport.Result r = CliTestSupport.run("run", config.toString(), "--out", run.toString());
        assertEquals(0, r.exitCode(), r.err());
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
