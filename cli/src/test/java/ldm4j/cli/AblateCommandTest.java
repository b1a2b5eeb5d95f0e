package ldm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import ldm4j.core.io.Json;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.parser.Parser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ldm4j ablate} on tiny synthetic squares: two β values, a few steps each, and bad files. */
class AblateCommandTest {
    @TempDir
    Path dir;

    private void writeBase(String data) throws IOException {
        Files.writeString(dir.resolve("tiny.yaml"), String.join("\n",
                "name: tiny",
                "data: " + data,
                "seed: 3",
                "autoencoder:",
                "  model: {ch: 16, ch_mult: [1, 2], num_res_blocks: 1, z_channels: 2, attention: false}",
                "  loss: l1",
                "  steps: 4",
                "  batch_size: 8",
                "  warmup: 1",
                "  eval_every: 0",
                "  checkpoint_every: 0",
                "  eval_images: 12",
                "  final_eval_images: 12",
                "  scale_images: 24",
                "diffusion:",
                "  model: {model_channels: 16, channel_mult: [1], num_res_blocks: 1, attention_resolutions: []}",
                "  steps: 3",
                "  batch_size: 8",
                "  warmup: 1",
                "  class_conditional: true",
                "  sample_every: 0",
                "  checkpoint_every: 0",
                "  sample_count: 4",
                "  sample_steps: 2",
                "sample: {count: 9, batch_size: 5, sampler: ddim, steps: 2, grid_count: 4}",
                "baseline:",
                "  autoencoder: {steps: 2}",
                "eval: {classifier_steps: 20}",
                ""));
    }

    private Path ablation(String yaml) throws IOException {
        Path file = Files.createTempFile(dir, "ablation", ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void tinyAblationRendersAPageWhoseEveryFileExistsWithOneResultRowPerSubRun() throws IOException {
        writeBase(TinyLatentRun.writeSquares(dir, 30)); // the feature network trains with batches of 64
        Path config = ablation("""
                title: tiny β ablation
                base: tiny.yaml
                sweep: {key: autoencoder.beta, label: β, scale: log-with-zero, values: [0, 1.0e-2]}
                overrides: {autoencoder.loss: l2, autoencoder.sigma: 0.7071067811865476}
                extra: [{label: ldm-l1, overrides: {autoencoder.loss: l1, autoencoder.beta: 1.0e-6}}]
                """);
        Path out = dir.resolve("runs/tiny-ablation");

        CliTestSupport.Result r = CliTestSupport.run("ablate", config.toString(), "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        for (String sub : List.of("beta=0", "beta=1e-2", "ldm-l1")) {
            Path run = out.resolve(sub);
            for (String f : List.of("config.yaml", "run-state.json", "summary.json", "samples/grid.png",
                "eval/metrics.json", "report/index.html")) {
                assertTrue(Files.isRegularFile(run.resolve(f)), "missing " + sub + "/" + f);
            }
        }
        assertEquals("l1", Json.readYamlTree(out.resolve("ldm-l1/config.yaml")).at("/autoencoder/loss").asText());
        assertEquals(0.01, Json.readTree(out.resolve("beta=1e-2/summary.json")).at("/autoencoder/beta").asDouble());
        assertTrue(Files.isRegularFile(out.resolve("ablation.yaml")));

        Path index = out.resolve("report/index.html");
        assertTrue(r.out().contains(index.toString()), r.out());
        Parser parser = Parser.htmlParser().setTrackErrors(100);
        Document page = Jsoup.parse(Files.readString(index), "", parser);
        assertEquals(List.of(), parser.getErrors().stream().map(Object::toString).toList());
        List<String> sources = page.select("img").eachAttr("src");
        for (String expected : List.of("rate-distortion.png", "fd.png", "psnr.png", "latent-histograms.png",
                "grids/beta_1e-2-ldm.png", "grids/ldm-l1-ldm.png")) {
            assertTrue(sources.contains(expected), expected + " not on the page: " + sources);
        }
        List<String> links = page.select("[href]").eachAttr("href");
        for (String src : concat(sources, links)) {
            if (!src.startsWith("#")) {
                assertTrue(Files.isRegularFile(index.getParent().resolve(src)), src + " is referenced but missing");
            }
        }

        List<String> csv = Files.readAllLines(out.resolve("report/results.csv"));
        assertEquals(4, csv.size(), "a header and one row per sub-run: " + csv);
        assertTrue(csv.get(1).startsWith("beta=0,0.0,beta=0,run,"), csv.get(1));
        assertTrue(csv.get(2).startsWith("beta=1e-2,0.01,beta=1e-2,run,"), csv.get(2));
        assertTrue(csv.get(3).startsWith("ldm-l1,,ldm-l1,run,l1,"), "the extra point is off the swept axis: "
                + csv.get(3));
        String text = page.body().text();
        assertTrue(text.contains("as β grows"), "the sweep's sentences name its parameter: " + text);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    @Test
    void badAblationFilesGetOneLineAndExitTwo() throws IOException {
        writeBase("mnist");
        String good = "title: t\nbase: tiny.yaml\n";
        for (String[] c : new String[][] {
            {good + "sweep: {key: autoencoder.beta, values: [0]}\nvaluez: [1]\n", "valuez"},
            {good + "sweep: {key: autoencoder.beta, values: []}\n", "sweep.values"},
            {"title: t\nbase: missing.yaml\nsweep: {key: autoencoder.beta, values: [0]}\n", "missing.yaml"},
            {good + "sweep: {key: autoencoder.beta, values: [0]}\noverrides: {autoencoder.los: l2}\n",
                "sub-run beta=0: its overrides: unknown key 'los'"},
        }) {
            Path file = ablation(c[0]);
            CliTestSupport.Result r = CliTestSupport.run("ablate", file.toString(), "--out",
                    dir.resolve("never").toString());
            assertEquals(2, r.exitCode(), c[0] + "\n" + r.err());
            String err = r.err().strip();
            assertEquals(1, err.lines().count(), err);
            assertTrue(err.contains(file.toString()) && err.contains(c[1]), c[1] + " not named: " + err);
            assertFalse(err.contains("Exception"), err);
            assertFalse(Files.exists(dir.resolve("never")), "nothing runs before the file is read");
        }
    }
}
