package ldm4j.pipeline.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import ldm4j.core.InputException;
import ldm4j.core.io.Json;
import ldm4j.diffusion.train.DataSpace;
import ldm4j.pipeline.RunLayout;
import ldm4j.pipeline.report.Report;
import ldm4j.pipeline.stage.ProgressPoints;
import ldm4j.pipeline.stage.TinyStages;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.parser.Parser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny f sweep (f = 1 on pixels, f = 2 on latents) with a UNet budget in seconds and four progress
 * points: the budget becomes steps once per sub-run and stays in its config.yaml, a second invocation
 * measures nothing and trains nothing, and the report draws FD against training progress.
 */
class FSweepTest {
    @TempDir
    static Path dir;

    static Path sweep;

    @BeforeAll
    static void writeConfigs() throws IOException {
        String spec = TinyStages.squares(dir, 30);
        Files.writeString(dir.resolve("tiny.yaml"), "name: tiny\ndata: \"" + spec + "\"\nseed: 3\n"
                + "autoencoder:\n" + indent(TinyStages.AUTOENCODER + "steps: 3\nbeta: 1.0e-6\n")
                + "diffusion:\n" + indent(TinyStages.DIFFUSION + "steps: 3\n")
                + "sample: {count: 9, batch_size: 5, sampler: ddim, steps: 2, grid_count: 4}\n"
                + "baseline: {enabled: false}\neval: {classifier_steps: 20}\n");
        sweep = dir.resolve("tiny-f-sweep.yaml");
        Files.writeString(sweep, """
                title: tiny f sweep
                base: tiny.yaml
                sweep:
                  key: f
                  values: [{value: 1}, {value: 2, overrides: {autoencoder.model.ch_mult: [1, 2]}}]
                overrides:
                  unet_budget: {seconds: 1.0, warmup_steps: 1, probe_steps: 2}
                  progress_points: 4
                """);
    }

    /** A meter that counts its calls: 16 img/s on pixels, 48 on latents (steps = ⌊1 s · rate / batch 8⌋). */
    private static final class Counting implements ThroughputProbe.Meter {
        final List<DataSpace> calls = new ArrayList<>();

        @Override
        public double imagesPerSecond(ldm4j.diffusion.train.DiffusionTrainConfig config, DataSpace space, long[] shape,
                int numClasses, UnetBudget budget) {
            calls.add(space);
            return space == DataSpace.PIXEL ? 16 : 48;
        }
    }

    private static final ThroughputProbe.Meter REFUSE = (config, space, shape, classes, budget) -> {
        throw new AssertionError("measured again");
    };

    @Test
    void theBudgetBecomesStepsOnceAndAResumedSweepKeepsThemAndItsPoints() throws IOException {
        AblationConfig config = AblationConfig.read(sweep);
        Path out = dir.resolve("sweep");
        Counting meter = new Counting();
        Path page = Ablation.run(config, out, false, Device.cpu(), (s, plans) -> plans, meter);
        assertEquals(List.of(DataSpace.PIXEL, DataSpace.LATENT), meter.calls, "one measurement per sub-run");

        RunLayout pixels = new RunLayout(out.resolve("f=1"));
        RunLayout latents = new RunLayout(out.resolve("f=2"));
        assertRecorded(pixels, 16, 2);
        assertRecorded(latents, 48, 6);
        assertFalse(Files.exists(pixels.autoencoder()), "f = 1 trains no autoencoder");
        assertFalse(Files.exists(pixels.latents()));
        assertTrue(Files.isDirectory(latents.latents()));

        // f = 2 trained 6 steps: points at 2, 3 and 5, then the evaluation; f = 1 trained 2: a point at 1.
        Path points = latents.diffusion().resolve(ProgressPoints.DIR);
        for (long step : List.of(2L, 3L, 5L)) {
            assertTrue(Files.isRegularFile(points.resolve(ProgressPoints.fileName(step))), "step " + step);
        }
        JsonNode summary = Json.readTree(latents.summaryJson());
        assertEquals(4, summary.path("progress").size(), summary.toString());
        assertEquals(6, summary.path("unet_budget").path("measured").path("steps").asLong());
        assertTrue(summary.path("sampling").path("seconds_per_sample").asDouble() > 0, summary.toString());

        FileTime point = Files.getLastModifiedTime(points.resolve(ProgressPoints.fileName(3)));
        FileTime unet = Files.getLastModifiedTime(latents.diffusionCheckpoint().resolve("checkpoint.json"));
        Ablation.run(config, out, false, Device.cpu(), (s, plans) -> plans, REFUSE);
        assertRecorded(pixels, 16, 2);
        assertRecorded(latents, 48, 6);
        assertEquals(point, Files.getLastModifiedTime(points.resolve(ProgressPoints.fileName(3))));
        assertEquals(unet, Files.getLastModifiedTime(latents.diffusionCheckpoint().resolve("checkpoint.json")));

        Document html = parsedWithoutErrors(page);
        List<String> sources = html.select("img").eachAttr("src");
        assertTrue(sources.contains("fd-progress.png"), sources.toString());
        assertTrue(sources.contains("throughput.png"), sources.toString());
        for (String src : sources) {
            assertTrue(Files.isRegularFile(page.getParent().resolve(src)), src + " is referenced but does not exist");
        }
        for (long step : List.of(2L, 3L, 5L)) {
            assertTrue(sources.contains("grids/f_2-progress-" + step + ".png"), "the grid of step " + step + ": " + sources);
        }
        String text = html.body().text();
        assertTrue(text.contains("Where f = 1 the UNet denoises pixels"), text);
        String findings = html.select("p.finding").text();
        assertFalse(findings.contains("latent diffusion"), "f = 1 is no latent diffusion: " + findings);
        assertTrue(text.contains("f=1: pixel-space diffusion samples"), text);
        String results = Files.readString(page.getParent().resolve("results.csv"));
        assertTrue(results.lines().findFirst().orElseThrow().contains("unet_train_images_per_second"), results);
        assertTrue(html.body().text().contains("The UNet steps the budget bought rises monotonically as f grows, "
                + "from 2 at f = 1 to 6 at f = 2."), html.body().text());
    }

    @Test
    void aChangedBudgetIsMeasuredAgain() throws IOException {
        AblationConfig config = AblationConfig.read(sweep);
        Path out = dir.resolve("changed");
        RunLayout layout = new RunLayout(out.resolve("f=1"));
        Files.createDirectories(layout.root());
        Counting meter = new Counting();
        com.fasterxml.jackson.databind.node.ObjectNode tree = config.runConfigTree(config.subRuns().get(0));
        ThroughputProbe.write(tree.deepCopy(), layout.config(), () -> ldm4j.pipeline.stage.DataStage.open(
                tree.path("data").asText()).info(), meter);
        assertEquals(1, meter.calls.size());
        ThroughputProbe.write(tree.deepCopy(), layout.config(), () -> {
            throw new AssertionError("no data needed");
        }, REFUSE);
        tree.withObjectProperty("unet_budget").put("seconds", 2.0);
        RunConfig doubled = ThroughputProbe.write(tree.deepCopy(), layout.config(), () -> ldm4j.pipeline.stage.DataStage
                .open(tree.path("data").asText()).info(), meter);
        assertEquals(2, meter.calls.size(), "another budget is another measurement");
        assertEquals(4, doubled.diffusion().steps());
    }

    @Test
    void theRealMeterTimesTrainingSteps() {
        double rate = ThroughputProbe.timing(Device.cpu()).imagesPerSecond(
                RunConfig.read(dir.resolve("tiny.yaml")).diffusion(), DataSpace.PIXEL,
                new long[] {1, TinyStages.SIDE, TinyStages.SIDE}, TinyStages.CLASSES, new UnetBudget(1, 1, 2, null));
        assertTrue(rate > 0 && Double.isFinite(rate), "img/s " + rate);
    }

    @Test
    void anFThatIsNotTheAutoencodersIsOneLineNamingTheKey() throws IOException {
        Path bad = dir.resolve("bad-f.yaml");
        Files.writeString(bad, "title: bad\nbase: tiny.yaml\nsweep: {key: f, values: [4]}\n");
        InputException e = assertThrows(InputException.class, () -> AblationConfig.read(bad));
        assertTrue(e.getMessage().contains("bad-f.yaml") && e.getMessage().contains("f: 4"), e.getMessage());
        Path budget = dir.resolve("bad-budget.yaml");
        Files.writeString(budget, "title: bad\nbase: tiny.yaml\nsweep: {key: f, values: [1]}\n"
                + "overrides: {unet_budget: {seconds: -1}}\n");
        e = assertThrows(InputException.class, () -> AblationConfig.read(budget));
        assertTrue(e.getMessage().contains("bad-budget.yaml") && e.getMessage().contains("seconds"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    private static void assertRecorded(RunLayout run, double imagesPerSecond, long steps) {
        JsonNode config = Json.readYamlTree(run.config());
        assertEquals(imagesPerSecond, config.path("unet_budget").path("measured").path("images_per_second").asDouble());
        assertEquals(steps, config.path("unet_budget").path("measured").path("steps").asLong());
        assertEquals(steps, config.path("diffusion").path("steps").asLong());
        assertEquals(steps, RunConfig.read(run.config()).diffusion().steps());
    }

    private static Document parsedWithoutErrors(Path index) throws IOException {
        Parser parser = Parser.htmlParser().setTrackErrors(100);
        Document page = Jsoup.parse(Files.readString(index), "", parser);
        assertTrue(parser.getErrors().isEmpty(), parser.getErrors().toString());
        return page;
    }

    private static String indent(String yaml) {
        return yaml.lines().map(l -> "  " + l).reduce("", (x, y) -> x + y + "\n");
    }
}
