package ldm4j.pipeline.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import ldm4j.pipeline.RunLayout;
import ldm4j.pipeline.report.Report;
import ldm4j.pipeline.report.ResultColumn;
import ldm4j.pipeline.stage.TinyStages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny two-value β ablation killed inside its second sub-run and started again gives the results an
 * uninterrupted one gives, wall-time columns aside.
 */
class AblationTest {
    @TempDir
    static Path dir;

    static Path ablation;

    @BeforeAll
    static void writeConfigs() throws IOException {
        String spec = TinyStages.squares(dir, 30); // the feature network trains with batches of 64
        Files.writeString(dir.resolve("tiny.yaml"), "name: tiny\ndata: \"" + spec + "\"\nseed: 3\n"
                + "autoencoder:\n" + indent(TinyStages.AUTOENCODER + "steps: 3\nbeta: 1.0e-6\n")
                + "diffusion:\n" + indent(TinyStages.DIFFUSION + "steps: 3\n")
                + "sample: {count: 9, batch_size: 5, sampler: ddim, steps: 2, grid_count: 4}\n"
                + "baseline: {autoencoder: {steps: 2}}\neval: {classifier_steps: 20}\n");
        ablation = dir.resolve("tiny-ablation.yaml");
        Files.writeString(ablation, """
                title: tiny β ablation
                base: tiny.yaml
                sweep: {key: autoencoder.beta, label: β, scale: log-with-zero, values: [0, 1.0e-2]}
                overrides: {autoencoder.loss: l2}
                """);
    }

    /** Killed after the second sub-run's UNet trained, before the driver recorded it as done. */
    private static final Ablation.PlanHook KILL_SECOND_DIFFUSION = (subRun, plans) -> {
        if (!subRun.name().equals("beta=1e-2")) {
            return plans;
        }
        List<StagePlan> out = new ArrayList<>();
        for (StagePlan p : plans) {
            out.add(p.stage() != Stage.DIFFUSION ? p : new StagePlan(p.key(), p.input(), p.outputs(), p.derived(),
                    () -> {
                        p.body().run();
                        throw new IOException("killed");
                    }));
        }
        return out;
    };

    @Test
    void killedThenResumedAblationGivesTheUninterruptedResults() throws IOException {
        AblationConfig config = AblationConfig.read(ablation);
        Path whole = dir.resolve("whole");
        Path page = Ablation.run(config, whole, false, Device.cpu());
        assertTrue(Files.isRegularFile(page));

        Path killed = dir.resolve("killed");
        assertThrows(IOException.class, () -> Ablation.run(config, killed, false, Device.cpu(), KILL_SECOND_DIFFUSION));
        RunLayout first = new RunLayout(killed.resolve("beta=0"));
        RunLayout second = new RunLayout(killed.resolve("beta=1e-2"));
        assertTrue(Files.isRegularFile(first.summaryJson()), "the first sub-run finished before the kill");
        assertFalse(Files.exists(second.summaryJson()), "the second was killed before its summary");
        assertFalse(Files.exists(killed.resolve(Report.DIR)), "no ablation report before every sub-run is done");
        Path sidecar = first.autoencoderCheckpoint().resolve("checkpoint.json");
        FileTime trained = Files.getLastModifiedTime(sidecar);

        Ablation.run(config, killed, false, Device.cpu());
        assertEquals(trained, Files.getLastModifiedTime(sidecar), "the finished sub-run is not trained again");
        List<String> resumed = withoutWallTime(killed);
        assertEquals(withoutWallTime(whole), resumed);
        assertEquals(3, resumed.size(), "a header and one row per sub-run: " + resumed);
        assertNotEquals(resumed.get(1).split(",")[0], resumed.get(2).split(",")[0]);
    }

    @Test
    void addingSeedsToAFinishedAblationReusesItsPlainNamedSubRunAndTrainsTheSharedBaselineOnce() throws IOException {
        Files.writeString(dir.resolve("tiny-vae.yaml"), TinyStages.AUTOENCODER + "steps: 2\nbeta: 1.0\nseed: 1\n");
        Path one = dir.resolve("one-seed.yaml");
        Files.writeString(one, "base: tiny.yaml\nsweep: {key: autoencoder.beta, values: [0]}\n"
                + "baseline: tiny-vae.yaml\n");
        Path seeds = dir.resolve("two-seeds.yaml");
        Files.writeString(seeds, "base: tiny.yaml\nsweep: {key: autoencoder.beta, values: [{value: 0, seeds: [3, 4]}]}\n"
                + "baseline: tiny-vae.yaml\n");
        Path out = dir.resolve("seeded");
        Ablation.run(AblationConfig.read(one), out, false, Device.cpu());
        RunLayout baseline = new RunLayout(out.resolve(SharedBaseline.DIR));
        Path vae = baseline.baselineAutoencoderCheckpoint().resolve("checkpoint.json");
        assertTrue(Files.isRegularFile(vae), "the shared baseline is trained into the ablation's baseline/");
        FileTime trained = Files.getLastModifiedTime(vae);
        Path plain = new RunLayout(out.resolve("beta=0")).autoencoderCheckpoint().resolve("checkpoint.json");
        FileTime plainTrained = Files.getLastModifiedTime(plain);

        List<String> ran = new ArrayList<>();
        Ablation.PlanHook recorded = (subRun, plans) -> plans.stream().map(p -> new StagePlan(p.key(), p.input(),
                p.outputs(), p.derived(), () -> {
                    ran.add(subRun.name() + "/" + p.key().id());
                    p.body().run();
                })).toList();
        Path page = Ablation.run(AblationConfig.read(seeds), out, false, Device.cpu(), recorded);
        assertTrue(ran.stream().noneMatch(s -> s.startsWith("beta=0/")), "seed 3 is the base's: beta=0 is done " + ran);
        assertTrue(ran.contains("beta=0_seed=4/autoencoder"), "the added seed trains: " + ran);
        assertEquals(plainTrained, Files.getLastModifiedTime(plain));
        assertEquals(trained, Files.getLastModifiedTime(vae), "the shared baseline is not trained again");

        List<String> csv = Files.readAllLines(page.resolveSibling("results.csv"));
        List<String> header = Arrays.asList(csv.get(0).split(",", -1));
        int kind = header.indexOf("kind");
        int vaeFd = header.indexOf(ResultColumn.VAE_FD.id());
        assertEquals(List.of("run", "run", "mean", "spread", "baseline"),
                csv.subList(1, csv.size()).stream().map(l -> l.split(",", -1)[kind]).toList(), csv.toString());
        assertFalse(csv.get(5).split(",", -1)[vaeFd].isEmpty(), "the baseline's prior is scored: " + csv.get(5));
        String html = Files.readString(page);
        assertTrue(html.contains("VAE baseline (tiny-vae)"), "the baseline is in the report");
    }

    /** results.csv with the wall-time columns blanked. */
    private static List<String> withoutWallTime(Path ablationDir) throws IOException {
        List<String> lines = Files.readAllLines(ablationDir.resolve(Report.DIR).resolve("results.csv"));
        List<String> header = Arrays.asList(lines.get(0).split(",", -1));
        Set<Integer> wall = Arrays.stream(ResultColumn.values()).filter(c -> c.kind() == ResultColumn.Kind.WALL_TIME)
                .map(c -> header.indexOf(c.id())).collect(Collectors.toSet());
        assertEquals(8, wall.size(), header.toString());
        assertFalse(wall.contains(-1), header.toString());
        int fd = header.indexOf(ResultColumn.LDM_FD.id());
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            String[] cells = line.split(",", -1);
            assertEquals(header.size(), cells.length, "a cell with a comma would shift the columns: " + line);
            assertFalse(cells[fd].isEmpty(), "every sub-run is scored, so the comparison covers its FD: " + line);
            for (int i : wall) {
                cells[i] = "";
            }
            out.add(String.join(",", cells));
        }
        return out;
    }

    private static String indent(String yaml) {
        return yaml.lines().map(l -> "  " + l).reduce("", (x, y) -> x + y + "\n");
    }
}
