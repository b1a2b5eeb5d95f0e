package ldm4j.pipeline.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import ldm4j.core.InputException;
import ldm4j.core.data.LatentSet;
import ldm4j.core.io.ImageIo;
import ldm4j.core.io.Json;
import ldm4j.pipeline.RunLayout;
import ldm4j.pipeline.SampleFiles;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Parser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reports rendered from synthetic run directories: what a finished run leaves behind. */
class ReportTest {
    @TempDir
    Path dir;

    @Test
    void aSweepRendersAPageWhoseEveryReferenceExistsAndWhichParsesWithoutErrors() throws IOException {
        List<Report.SubRun> rows = new ArrayList<>();
        double[] betas = {0, 1e-4, 1};
        for (int i = 0; i < betas.length; i++) {
            Path run = fakeRun(dir.resolve("beta-" + i), betas[i], 3000 - 1000 * i, 26 - 3 * i, 5 + 10 * i);
            rows.add(new Report.SubRun("β=" + Findings.number(betas[i]), betas[i], run));
        }
        Path index = Report.write(dir.resolve("report"), "β ablation", new Report.Sweep("β",
                Report.Sweep.Scale.LOG_WITH_ZERO), rows);

        Document page = parsedWithoutErrors(index);
        List<String> sources = page.select("img").eachAttr("src");
        for (String expected : List.of("rate-distortion.png", "fd.png", "psnr.png", "active-units.png",
                "loss-autoencoder.png", "loss-diffusion.png", "latent-histograms.png", "latent-pca-beta_1e-4.png")) {
            assertTrue(sources.contains(expected), expected + " missing from " + sources);
        }
        for (String src : sources) {
            Path file = index.getParent().resolve(src);
            assertTrue(Files.isRegularFile(file), src + " is referenced but does not exist");
            BufferedImage img = ImageIo.read(file);
            assertTrue(img.getWidth() > 0, src);
        }
        assertEquals(3, sources.stream().filter(s -> s.startsWith("grids/") && s.endsWith("-ldm.png")).count());
        String text = page.body().text();
        assertTrue(text.contains("Rate (bits per image) falls monotonically as β grows, from 3000 at β = 0 to 1000 "
                + "at β = 1."), text);
        Element table = page.selectFirst("table");
        assertEquals(3, table.select("tbody tr").size());
    }

    @Test
    void aSweepWithSeedsAndASharedBaselineRendersTheirMeansSpreadAndReference() throws IOException {
        List<Report.SubRun> runs = new ArrayList<>();
        runs.add(new Report.SubRun("beta=0", 0.0, fakeRun(dir.resolve("beta=0"), 0, 3000, 26, 5)));
        runs.add(new Report.SubRun("beta=1", 1.0, fakeRun(dir.resolve("beta=1"), 1, 1000, 20, 30)));
        double[] fds = {14.4, 27, 20};
        for (int seed = 0; seed < 3; seed++) {
            String name = seed == 0 ? "ldm-l1" : "ldm-l1_seed=" + seed;
            runs.add(new Report.SubRun(name, null, fakeRun(dir.resolve(name), 1e-6, 2500, 25, fds[seed]), "ldm-l1",
                    1e-6));
        }
        Path vae = dir.resolve("baseline");
        ObjectNode summary = Json.MAPPER.createObjectNode().put("name", "vae");
        summary.putObject("baseline_autoencoder").put("loss", "l2").put("beta", 1.0).putObject("test")
                .put("psnr", 22.2).put("rateBitsPerImage", 114.2);
        summary.putObject("eval").putObject("vae_prior").put("fd", 74.7).put("fdLow", 72.9).put("fdHigh", 76.6);
        Files.createDirectories(new RunLayout(vae).baselineSamples());
        Json.write(new RunLayout(vae).summaryJson(), summary);
        ImageIo.writePng(new RunLayout(vae).baselineSamples().resolve(SampleFiles.GRID),
                new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY));
        Path index = Report.write(dir.resolve("report"), "β ablation", new Report.Sweep("β",
                Report.Sweep.Scale.LOG_WITH_ZERO), runs, new Report.SubRun("VAE baseline (vae)", null, vae));

        Document page = parsedWithoutErrors(index);
        for (String src : page.select("img").eachAttr("src")) {
            assertTrue(Files.isRegularFile(index.getParent().resolve(src)), src + " is referenced but does not exist");
        }
        assertTrue(page.select("img").eachAttr("src").contains("grids/VAE_baseline_vae_-vae-prior.png"),
                "the baseline's prior grid is shown");
        String text = page.body().text();
        assertTrue(text.contains("At ldm-l1, 3 seeds give latent diffusion FD from 14.4 to 27 (a spread of 12.6; "), text);
        assertTrue(text.contains("The seeds disagree more than the bootstrap intervals suggest"), text);
        // beta=0 (5) against beta=1 (30): the 25 gap clears both the intervals and the 12.6 spread.
        assertTrue(text.contains("Latent diffusion FD is lowest at beta=0: 5 (95% interval 4–6). It is measurably "
                + "lower than at beta=1, ldm-l1 (mean of 3 seeds) (intervals disjoint, and each gap larger than the "
                + "seed spread of 12.6 at ldm-l1)."), text);
        assertTrue(text.contains("The prior of the VAE baseline (vae) scores FD 74.7 (95% interval 72.9–76.6). Latent "
                + "diffusion is closer to the data than it at beta=0, beta=1, ldm-l1 (mean of 3 seeds)"), text);
        Element table = page.selectFirst("table");
        assertEquals(5 + 2 + 1, table.select("tbody tr").size(), "five runs, ldm-l1's mean and spread, the baseline");
        assertEquals("ldm-l1: mean of 3 seeds", table.selectFirst("tr.mean td").text());
        assertEquals("VAE baseline (vae)", table.selectFirst("tr.baseline td").text());
        List<String> csv = Files.readAllLines(index.resolveSibling("results.csv"));
        assertEquals(1 + 8, csv.size());
        assertTrue(csv.get(0).startsWith("run,sweep_value,point,kind,"), csv.get(0));
        assertTrue(csv.get(6).startsWith("\"ldm-l1: mean of 3 seeds\",,ldm-l1,mean,")
                || csv.get(6).startsWith("ldm-l1: mean of 3 seeds,,ldm-l1,mean,"), csv.get(6));
    }

    @Test
    void resultsCsvHasOneRowPerRunAndEveryColumn() throws IOException {
        Path run = fakeRun(dir.resolve("run"), 1e-6, 3457, 25.7, 5.29);
        Path index = Report.forRun(run);
        List<String> csv = Files.readAllLines(index.resolveSibling("results.csv"));
        assertEquals(2, csv.size(), csv.toString());
        String[] header = csv.get(0).split(",");
        assertEquals(4 + ResultColumn.values().length, header.length);
        assertEquals(ResultsFiles.RUN, header[0]);
        assertTrue(csv.get(1).startsWith("fake,,fake,run,"), csv.get(1));
        JsonNode json = Json.readTree(index.resolveSibling("results.json"));
        assertEquals(5.29, json.get(0).get(ResultColumn.LDM_FD.id()).asDouble());
        double unscaled = json.get(0).get(ResultColumn.LATENT_STD.id()).asDouble();
        assertEquals(2, unscaled, 0.5, "Laplace latents of std 2 before the 0.5 scale");
        assertTrue(json.get(0).get(ResultColumn.LATENT_KURTOSIS.id()).asDouble() > 1, "a Laplace is heavy-tailed");
        assertTrue(json.get(0).get(ResultColumn.VAE_PSNR.id()).isNull(), "not measured is null");
    }

    @Test
    void aRunReportComparesTheTwoSamplersOnlyAsFarAsTheIntervalsAllow() throws IOException {
        Path run = fakeRun(dir.resolve("run"), 1e-6, 3457, 25.7, 5.29);
        String text = parsedWithoutErrors(Report.forRun(run)).body().text();
        assertTrue(text.contains("Latent diffusion scores FD 5.29 (95% interval 4.29–6.29), VAE prior 134 (95% "
                + "interval 124–144). The intervals do not overlap: latent diffusion is closer to the data"), text);
        assertTrue(text.contains("the compressor's own prior 300 (95% interval 290–310). The intervals do not "
                + "overlap: latent diffusion is closer to the data, by a factor of 56.7 in FD."), text);
    }

    @Test
    void aRunWithoutASummaryGetsOneClearError() {
        InputException e = assertThrows(InputException.class, () -> Report.forRun(dir));
        assertTrue(e.getMessage().contains("summary.json") && e.getMessage().contains("no run summary"),
                e.getMessage());
    }

    @Test
    void theLogAxisPutsBetaZeroOnItsOwnTickLeftOfTheDecades() {
        Charts.SweepAxis axis = Charts.logAxisWithZero("β", List.of(0.0, 1e-6, 1e-2, 1.0));
        assertEquals(-7, axis.position(0), 0);
        assertEquals("0", axis.label(-7));
        assertEquals("1e-6", axis.label(-6));
        assertEquals("1", axis.label(0));
        assertEquals("", axis.label(-6.5));
        assertEquals("", axis.label(-8));
    }

    private static Document parsedWithoutErrors(Path index) throws IOException {
        Parser parser = Parser.htmlParser().setTrackErrors(100);
        Document page = Jsoup.parse(Files.readString(index), "", parser);
        assertTrue(parser.getErrors().isEmpty(), parser.getErrors().toString());
        assertFalse(page.select("h1").isEmpty());
        return page;
    }

    /** A finished run's files: summary.json, training logs and grids, with the given measurements. */
    private static Path fakeRun(Path root, double beta, double bits, double psnr, double fd) throws IOException {
        RunLayout run = new RunLayout(root);
        ObjectNode summary = Json.MAPPER.createObjectNode();
        summary.put("name", "fake");
        ObjectNode ae = summary.putObject("autoencoder");
        ae.put("loss", "l2").put("beta", beta).put("scaleFactor", 0.3).put("trainSeconds", 12.5);
        ae.putObject("test").put("psnr", psnr).put("ssim", 0.9).put("rateBitsPerImage", bits)
                .put("rateBitsPerElement", bits / 256).put("activeFraction", 1.0);
        ObjectNode eval = summary.putObject("eval");
        eval.putObject("ldm").put("fd", fd).put("fdLow", fd - 1).put("fdHigh", fd + 1).put("recall", 0.6);
        eval.putObject("vae_prior").put("fd", 134.0).put("fdLow", 124.0).put("fdHigh", 144.0);
        eval.putObject("autoencoder_prior").put("fd", 300.0).put("fdLow", 290.0).put("fdHigh", 310.0);
        summary.put("total_seconds", 700.0);
        Files.createDirectories(root);
        Json.write(run.summaryJson(), summary);
        Files.createDirectories(run.autoencoder());
        Files.createDirectories(run.diffusion());
        Files.writeString(run.autoencoder().resolve("train-log.csv"),
                "step,loss,test_psnr\n10,300.5,\n20,200.25,24.1\n30,150,\n");
        Files.writeString(run.diffusion().resolve("train-log.csv"), "step,loss\n50,0.7\n100,0.2\n");
        // Laplace latents with std 1/0.5 before scaling: heavy-tailed once scaled.
        SplittableRandom random = new SplittableRandom(Double.doubleToLongBits(beta));
        int count = 50;
        float[] test = new float[count * 2 * 2 * 2];
        for (int i = 0; i < test.length; i++) {
            double u = random.nextDouble() - 0.5;
            test[i] = (float) (-Math.sqrt(2) * Math.signum(u) * Math.log(1 - 2 * Math.abs(u)));
        }
        new LatentSet(new LatentSet.Header(2, 2, 2, 0, count, 10, 0.5, "mean", "fake", "0", "ae", null), new float[0],
                new int[0], test, new int[count]).write(run.latents());
        Files.createDirectories(run.samples());
        ImageIo.writePng(run.samples().resolve(SampleFiles.GRID), new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY));
        return root;
    }
}
