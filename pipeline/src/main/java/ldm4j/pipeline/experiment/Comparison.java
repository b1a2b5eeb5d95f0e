package ldm4j.pipeline.experiment;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ldm4j.core.InputException;
import ldm4j.core.data.Dataset;
import ldm4j.core.data.DatasetInfo;
import ldm4j.core.io.Json;
import ldm4j.diffusion.generate.GenerateConfig;
import ldm4j.pipeline.RunLayout;
import ldm4j.pipeline.SampleFiles;
import ldm4j.pipeline.eval.SampleMetrics;
import ldm4j.pipeline.report.ComparisonReport;
import ldm4j.pipeline.report.ComparisonReport.Entry;
import ldm4j.pipeline.report.Report;
import ldm4j.pipeline.stage.EvalStage;
import ldm4j.pipeline.stage.SampleStage;

/**
 * {@code ldm4j compare}: the same number of samples from a run's latent diffusion pair and from
 * each given VAE's prior, scored in one feature network, side by side with what each cost to
 * train. This is the project's question put to models trained elsewhere: does compress-then-diffuse
 * beat the strongest classic VAE, and at what price.
 */
public final class Comparison {
    private Comparison() {}

    /**
     * One model to sample.
     *
     * @param name its label (a folder name under the output, and a row)
     * @param model what to draw from
     * @param trainSeconds what training it took, or null when not recorded
     * @param trainImagesPerSecond its training throughput, or null when not recorded
     * @param costNote where the cost comes from, in words
     */
    public record Contender(String name, SampleStage.Model model, Double trainSeconds, Double trainImagesPerSecond,
            String costNote) {}

    /**
     * The latent diffusion pair of a finished {@code ldm4j run} directory, sampled with the run's own
     * sampler settings but {@code count} images; its cost is the run's autoencoder, encode and
     * diffusion stages (the second stage is worth nothing without the first).
     */
    public static Contender ofRun(Path runDir, int count, long seed) {
        RunLayout layout = new RunLayout(runDir);
        if (!Files.isRegularFile(layout.config())) {
            throw new InputException(runDir + ": not a run directory (no config.yaml); make one with `ldm4j run`");
        }
        RunConfig config = RunConfig.read(layout.config());
        SampleSettings s = config.sample();
        GenerateConfig g = new GenerateConfig(count, s.batchSize(), s.sampler(), s.steps(), s.eta(), s.spacing(), null,
                s.guidance(), seed);
        Double seconds = null;
        Double perSecond = null;
        if (Files.isRegularFile(layout.summaryJson())) {
            JsonNode stages = Json.readTree(layout.summaryJson()).path("stage_seconds");
            double sum = 0;
            for (String stage : new String[] {"autoencoder", "encode", "diffusion"}) {
                sum += stages.path(stage).asDouble(Double.NaN);
            }
            seconds = Double.isFinite(sum) ? sum : null;
            double unet = stages.path("diffusion").asDouble(Double.NaN);
            if (unet > 0) {
                perSecond = config.diffusion().steps() * (double) config.diffusion().batchSize() / unet;
            }
        }
        return new Contender("latent diffusion (" + runDir.getFileName() + ")", new SampleStage.Run(runDir, g), seconds,
                perSecond, "the run's autoencoder, encode and diffusion stages (summary.json); img/s is the UNet's");
    }

    /** A VAE sampled from its N(0, τ²I) prior; its cost is its training run's metrics.json. */
    public static Contender ofVae(Path autoencoder, DatasetInfo data, int count, int batchSize, long seed,
            double temperature) {
        Path checkpoint = RunLayout.locateAutoencoder(autoencoder);
        Path metrics = checkpoint.getParent().resolve("metrics.json");
        Double seconds = null;
        Double perSecond = null;
        if (Files.isRegularFile(metrics)) {
            JsonNode m = Json.readTree(metrics);
            seconds = m.path("trainSeconds").isNumber() ? m.path("trainSeconds").asDouble() : null;
            perSecond = m.path("trainImagesPerSecond").isNumber() ? m.path("trainImagesPerSecond").asDouble() : null;
        }
        String name = "VAE prior (" + checkpoint.getParent().getFileName() + ", τ = " + temperature + ")";
        return new Contender(name, new SampleStage.VaePrior(checkpoint, data.height(), data.width(), count, batchSize,
                seed, temperature), seconds, perSecond, "the VAE's training run (metrics.json)");
    }

    /**
     * Samples every contender into {@code out/<n>-<name>/}, scores them all with one feature network
     * and writes {@code out/report/} ({@link ComparisonReport}).
     *
     * @return the page
     */
    public static Path run(Dataset data, List<Contender> contenders, EvalStage.Features features, Path out,
            int gridMax, Device device) throws IOException {
        if (contenders.isEmpty()) {
            throw new InputException("nothing to compare: give a run and at least one VAE");
        }
        Map<String, Path> dirs = new LinkedHashMap<>();
        Map<String, Double> samplingSeconds = new LinkedHashMap<>();
        List<EvalStage.Samples> samples = new ArrayList<>();
        int i = 0;
        for (Contender c : contenders) {
            Path dir = out.resolve((++i) + "-" + Report.slug(c.name()));
            long start = System.nanoTime();
            SampleStage.Output drawn = SampleStage.run(c.model(), "sample " + c.name(), dir, null, gridMax, device);
            samplingSeconds.put(c.name(), (System.nanoTime() - start) / 1e9);
            dirs.put(c.name(), dir);
            samples.add(new EvalStage.Samples(c.name(), drawn.images(), drawn.images().labels()));
        }
        EvalStage.Output scores = EvalStage.run(data, features, samples, device, note -> { });
        List<Entry> entries = new ArrayList<>();
        for (Contender c : contenders) {
            SampleMetrics m = scores.metrics().get(c.name());
            entries.add(new Entry(c.name(), m, dirs.get(c.name()).resolve(SampleFiles.GRID), c.trainSeconds(),
                    c.trainImagesPerSecond(), c.costNote(), m.samples() / samplingSeconds.get(c.name())));
        }
        return ComparisonReport.write(out.resolve("report"), "ldm4j compare", entries);
    }
}
