package ldm4j.pipeline.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import ldm4j.core.bench.MemoryPeak;
import ldm4j.core.io.Json;
import ldm4j.pipeline.RunLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunSummaryTest {
    private static final long MIB = 1L << 20;

    @TempDir
    Path dir;

    private RunSummary summaryOf(RunState state) throws IOException {
        Path yaml = dir.resolve("run.yaml");
        Files.writeString(yaml, "name: tiny\ndata: toy\n");
        RunLayout layout = new RunLayout(dir.resolve("run"));
        Files.createDirectories(layout.root());
        Files.createDirectories(layout.eval());
        Json.write(layout.eval().resolve("metrics.json"), Json.MAPPER.readTree(
                "{\"ldm\": {\"fd\": 12.5, \"unplaceableShare\": 0.25}, \"vae_prior\": {\"fd\": 80.0,"
                        + " \"unplaceableShare\": 0.5}}"));
        RunConfig config = RunConfig.read(yaml);
        return RunSummary.collect(config.name(), config.data(), layout, state);
    }

    /** 85 steps in four points: drawn at steps 21, 43 and 64, which are the 25, 50 and 75% points. */
    @Test
    void aPointIsFiledUnderTheShareItStandsForNotItsRoundedFraction() {
        assertEquals(25, RunSummary.nominalPercent(21 / 85.0, 4));
        assertEquals(50, RunSummary.nominalPercent(43 / 85.0, 4), "43/85 = 50.6%");
        assertEquals(75, RunSummary.nominalPercent(64 / 85.0, 4));
        assertEquals(100, RunSummary.nominalPercent(1.0, 4));
        assertEquals(33, RunSummary.nominalPercent(34 / 100.0, 3));
        assertEquals(51, RunSummary.nominalPercent(0.506, 0), "no count: the fraction itself");
    }

    @Test
    void everyStagePeakIsInTheJsonAndTheStageTable() throws IOException {
        Path file = dir.resolve("state.json");
        RunState state = RunState.empty();
        state.finish(Stage.DATA, 1.0, new MemoryPeak(300 * MIB, MemoryPeak.Scope.OWN), file);
        state.finish(Stage.AUTOENCODER, 60.0, new MemoryPeak(1536 * MIB + MIB / 2, MemoryPeak.Scope.OWN), file);
        state.finish(Stage.ENCODE, 5.0, null, file); // no /proc: no peak
        RunSummary summary = summaryOf(state);
        JsonNode json = summary.json();
        assertEquals(300.0, json.path(RunSummary.STAGE_PEAK).path("data").asDouble());
        assertEquals(1536.5, json.path(RunSummary.STAGE_PEAK).path("autoencoder").asDouble());
        assertFalse(json.path(RunSummary.STAGE_PEAK).has("encode"));
        assertFalse(json.has(RunSummary.PROCESS_PEAK), "every peak read was the stage's own");
        assertEquals(1536.5, json.path(RunSummary.MAX_PEAK).asDouble());

        String md = summary.markdown();
        assertTrue(md.contains("| stage | wall time | peak RSS |"), md);
        assertTrue(md.contains("| data | 1.0 s | 300.0 MiB |"), md);
        assertTrue(md.contains("| autoencoder | 1 min 00 s | 1536.5 MiB |"), md);
        assertTrue(md.contains("| encode | 5.0 s | n/a |"), md);
        assertTrue(md.contains("| **total** | **1 min 06 s** | **max 1536.5 MiB** |"), md);
        assertFalse(md.contains("process so far"), md);
    }

    @Test
    void aPeakThatIsNotTheStagesOwnIsFiledAndMarkedAsTheProcesss() throws IOException {
        Path file = dir.resolve("state.json");
        RunState state = RunState.empty();
        state.finish(Stage.DATA, 1.0, new MemoryPeak(300 * MIB, MemoryPeak.Scope.PROCESS), file);
        RunSummary summary = summaryOf(state);
        assertEquals(300.0, summary.json().path(RunSummary.PROCESS_PEAK).path("data").asDouble());
        assertFalse(summary.json().has(RunSummary.STAGE_PEAK));
        String md = summary.markdown();
        assertTrue(md.contains("| data | 1.0 s | 300.0 MiB (process so far) |"), md);
        assertTrue(md.contains("/proc/self/clear_refs could not be written"), md);
    }

    @Test
    void theHeadlineTableCountsTheUnplaceableSamplesOfBothSamplers() throws IOException {
        String md = summaryOf(RunState.empty()).markdown();
        assertTrue(md.contains("| VAE prior (no baseline in this run) |"), md);
        assertTrue(md.contains("| unplaceable (top class p < 0.5) ↓ | 0.2500 | 0.5000 |"), md);
    }

    @Test
    void theBaselineColumnNamesItsLatentAndTheEffectiveBetaOfBothRows() throws IOException {
        RunLayout layout = new RunLayout(dir.resolve("run"));
        Files.createDirectories(layout.baselineAutoencoder());
        Json.write(layout.baselineAutoencoder().resolve("metrics.json"), Json.MAPPER.readTree(
                "{\"beta\": 1.0, \"loss\": \"l2\", \"sigma\": 0.2, \"betaEffective\": 0.08,"
                        + " \"betaRelativeTo\": \"sum_squared_error\", \"latent\": \"dense\", \"latentDim\": 16}"));
        String md = summaryOf(RunState.empty()).markdown();
        assertTrue(md.contains("VAE prior (β = 1.000, dense latent, d = 16, τ = 1)"), md);
        assertTrue(md.contains("| effective β (the KL's weight against the summed error) | n/a | 0.08"), md);
    }
}
