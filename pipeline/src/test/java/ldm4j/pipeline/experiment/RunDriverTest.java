package ldm4j.pipeline.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import ldm4j.core.data.Dataset;
import ldm4j.core.io.Json;
import ldm4j.diffusion.generate.GenerateConfig;
import ldm4j.diffusion.sampler.Sampler;
import ldm4j.diffusion.sampler.TimestepSpacing;
import ldm4j.diffusion.train.DiffusionTrainConfig;
import ldm4j.pipeline.RunLayout;
import ldm4j.pipeline.stage.DataStage;
import ldm4j.pipeline.stage.DiffusionStage;
import ldm4j.pipeline.stage.SampleStage;
import ldm4j.pipeline.stage.TinyStages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RunDriver} without any command: lists of stage plans, first of stand-in stages (what is
 * skipped, redone and deleted), then two generated runs of the real stages, as an ablation runs them.
 */
class RunDriverTest {
    @TempDir
    static Path dir;

    static String spec;
    static Dataset data;

    @BeforeAll
    static void openData() throws IOException {
        spec = TinyStages.squares(dir, 20);
        data = DataStage.open(spec);
    }

    /** Stand-in stages: each writes a marker into its folder and counts its runs. */
    private static final class Fake {
        final Map<String, Integer> byId = new TreeMap<>();
        final Map<Stage, Integer> runs = new TreeMap<>();
        final List<String> found = new ArrayList<>();

        List<StagePlan> plans(RunLayout layout, int encodeSetting) {
            return List.of(plan(Stage.AUTOENCODER, layout.autoencoder(), 1),
                    plan(Stage.ENCODE, layout.latents(), encodeSetting),
                    plan(Stage.DIFFUSION, layout.diffusion(), 1));
        }

        private StagePlan plan(Stage stage, Path out, int setting) {
            return plan(StageKey.of(stage), out, setting);
        }

        StagePlan plan(StageKey key, Path out, int setting) {
            StageInput input = StageInput.of(Json.MAPPER.createObjectNode().put("setting", setting));
            return new StagePlan(key, input, List.of(out), List.of(), () -> {
                Path marker = out.resolve("marker");
                if (Files.exists(marker)) {
                    found.add(key.id()); // an output of an earlier run was left behind
                }
                Files.createDirectories(out);
                Files.writeString(marker, key.id());
                runs.merge(key.kind(), 1, Integer::sum);
                byId.merge(key.id(), 1, Integer::sum);
            });
        }
    }

    private static RunSummary drive(RunLayout layout, boolean force, Fake fake, int encodeSetting) throws IOException {
        return RunDriver.run(new RunDriver.Run("fake", spec, layout), force, () -> data,
                d -> fake.plans(layout, encodeSetting));
    }

    @Test
    void finishedStagesAreSkippedAChangedOneIsRedoneWithItsReadersAndForceRedoesAll() throws IOException {
        RunLayout layout = new RunLayout(dir.resolve("fake"));
        Fake fake = new Fake();
        RunSummary first = drive(layout, false, fake, 1);
        assertEquals(Map.of(Stage.AUTOENCODER, 1, Stage.ENCODE, 1, Stage.DIFFUSION, 1), fake.runs);
        assertEquals(List.of("data", "autoencoder", "encode", "diffusion"),
                iterate(first.json().path("stage_seconds")));
        assertTrue(Files.isRegularFile(layout.summaryJson()));

        drive(layout, false, fake, 1);
        assertEquals(Map.of(Stage.AUTOENCODER, 1, Stage.ENCODE, 1, Stage.DIFFUSION, 1), fake.runs);

        drive(layout, false, fake, 2); // encode's config changed: it and diffusion, which reads it, run again
        assertEquals(Map.of(Stage.AUTOENCODER, 1, Stage.ENCODE, 2, Stage.DIFFUSION, 2), fake.runs);
        assertEquals(List.of(), fake.found, "a stage run again from scratch starts from an empty folder");

        drive(layout, true, fake, 2);
        assertEquals(Map.of(Stage.AUTOENCODER, 2, Stage.ENCODE, 3, Stage.DIFFUSION, 3), fake.runs);
        assertEquals(List.of(), fake.found, "--force deletes every stage's outputs first");
    }

    /** A second baseline is a stage of its own: its own record, and the evaluation reads both. */
    @Test
    void twoBaselinesAreTwoStagesAndTheEvaluationReadsBoth() throws IOException {
        RunLayout layout = new RunLayout(dir.resolve("two-baselines"));
        Fake fake = new Fake();
        int[] dense = {1};
        RunDriver.Planner planner = d -> List.of(
                fake.plan(StageKey.of(Stage.BASELINE), layout.baseline(), 1),
                fake.plan(StageKey.of(Stage.BASELINE, "dense"), layout.root().resolve("baseline-dense"), dense[0]),
                fake.plan(StageKey.of(Stage.EVAL), layout.eval(), 1));
        RunSummary first = RunDriver.run(new RunDriver.Run("two", spec, layout), false, () -> data, planner);
        assertEquals(List.of("data", "baseline", "baseline:dense", "eval"), iterate(first.json().path("stage_seconds")));
        assertEquals(Map.of("baseline", 1, "baseline:dense", 1, "eval", 1), fake.byId);

        dense[0] = 2;
        RunDriver.run(new RunDriver.Run("two", spec, layout), false, () -> data, planner);
        assertEquals(Map.of("baseline", 1, "baseline:dense", 2, "eval", 2), fake.byId);
        RunState state = RunState.read(layout.state());
        assertEquals(Map.of("baseline", state.fingerprint("baseline").sha256(), "baseline:dense",
                state.fingerprint("baseline:dense").sha256(), "sample", StageFingerprint.OFF),
                state.fingerprint("eval").inputs());
    }

    /**
     * f = 1: a run of diffusion on pixels is the list without the autoencoder and encode stages; the
     * UNet's fingerprint records encode as off.
     */
    @Test
    void pixelSpaceRunIsThePlanWithoutAnAutoencoder() throws IOException {
        RunLayout layout = new RunLayout(dir.resolve("pixels"));
        DiffusionTrainConfig unet = TinyStages.diffusion(1);
        GenerateConfig g = new GenerateConfig(3, 3, Sampler.fromString("ddim"), 2, 0.0,
                TimestepSpacing.fromString("uniform"), null, 1.0, 1);
        RunDriver.Planner planner = d -> List.of(
                new StagePlan(Stage.DIFFUSION, new StageInput(Json.MAPPER.valueToTree(unet), JsonPointer.empty(), true),
                        List.of(layout.diffusion()), List.of(), () -> DiffusionStage.trainOrContinue(
                                new DiffusionStage.Input(unet, new DiffusionStage.Pixels(spec, d), layout.diffusion(),
                                        null), Device.cpu())),
                StagePlan.of(Stage.SAMPLE, StageInput.of(Json.MAPPER.valueToTree(g)), layout.samples(),
                        () -> SampleStage.run(new SampleStage.Pixel(layout.diffusion(), g), "sample",
                                layout.samples(), null, 3, Device.cpu())));
        RunSummary summary = RunDriver.run(new RunDriver.Run("pixels", spec, layout), false, () -> data, planner);
        assertEquals(List.of("data", "diffusion", "sample"), iterate(summary.json().path("stage_seconds")));
        assertTrue(Files.isRegularFile(layout.samples().resolve("samples.npy")));
        assertEquals(StageFingerprint.OFF,
                RunState.read(layout.state()).fingerprint(Stage.DIFFUSION).inputs().get("encode"));
    }

    private static List<String> iterate(JsonNode object) {
        List<String> keys = new ArrayList<>();
        object.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /**
     * What {@code ldm4j ablate} will do: make a config per value from one file and overrides, name
     * each run after its value, and run each run's stage plans through the driver with the data opened
     * once. No command is involved.
     */
    @Test
    void twoGeneratedRunsGoThroughTheDriverWithTheDataOpenedOnce() throws IOException {
        Path base = dir.resolve("ablate.yaml");
        Files.writeString(base, "name: ablate\ndata: \"" + spec + "\"\nseed: 3\n"
                + "autoencoder:\n" + indent(TinyStages.AUTOENCODER + "steps: 2\n")
                + "diffusion:\n" + indent(TinyStages.DIFFUSION + "steps: 2\n")
                + "sample: {count: 4, batch_size: 4, sampler: ddim, steps: 2, grid_count: 4}\n"
                + "baseline: {enabled: false}\neval: {enabled: false, classifier_steps: 1}\n");
        List<RunLayout> layouts = new ArrayList<>();
        List<Map<String, Object>> variants = new ArrayList<>();
        for (double beta : new double[] {1e-6, 1.0}) {
            String name = "ablate-beta-" + beta;
            variants.add(Map.of("name", name, "autoencoder.beta", beta));
            RunConfig config = RunConfig.read(base, variants.get(variants.size() - 1));
            RunLayout layout = new RunLayout(dir.resolve("runs").resolve(config.name()));
            RunSummary summary = RunDriver.run(new RunDriver.Run(config.name(), config.data(), layout), false,
                    () -> data, d -> EndToEndRun.plans(config, d, layout, Device.cpu()));
            assertEquals(name, summary.json().path("name").asText());
            assertEquals(List.of("data", "autoencoder", "encode", "diffusion", "sample"),
                    iterate(summary.json().path("stage_seconds")));
            assertEquals(beta, summary.json().path("autoencoder").path("beta").asDouble(), 0.0);
            assertTrue(Files.isRegularFile(layout.samples().resolve("samples.npy")));
            assertFalse(Files.exists(layout.baseline()));
            layouts.add(layout);
        }
        RunState a = RunState.read(layouts.get(0).state());
        RunState b = RunState.read(layouts.get(1).state());
        assertEquals(a.fingerprint(Stage.DATA).sha256(), b.fingerprint(Stage.DATA).sha256());
        assertNotEquals(a.fingerprint(Stage.AUTOENCODER).sha256(), b.fingerprint(Stage.AUTOENCODER).sha256());

        // The same plans again find every stage done.
        Path sidecar = layouts.get(0).autoencoderCheckpoint().resolve("checkpoint.json");
        FileTime trained = Files.getLastModifiedTime(sidecar);
        RunConfig again = RunConfig.read(base, variants.get(0));
        RunDriver.run(new RunDriver.Run(again.name(), again.data(), layouts.get(0)), false, () -> data,
                d -> EndToEndRun.plans(again, d, layouts.get(0), Device.cpu()));
        assertEquals(trained, Files.getLastModifiedTime(sidecar));
    }

    private static String indent(String yaml) {
        return yaml.lines().map(l -> "  " + l).reduce("", (x, y) -> x + y + "\n");
    }
}
