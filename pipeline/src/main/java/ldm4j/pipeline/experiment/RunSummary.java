package ldm4j.pipeline.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import ldm4j.core.bench.MemoryPeak;
import ldm4j.core.bench.ProcessMemory;
import ldm4j.core.io.AtomicFiles;
import ldm4j.core.io.Json;
import ldm4j.pipeline.RunLayout;
import ldm4j.pipeline.stage.ProgressPoints;

/**
 * A run's results in one place: {@code summary.json} (every metric the stages wrote, plus the wall
 * time and peak resident memory of each stage) and {@code summary.md} (the same as tables a person
 * reads).
 *
 * <p>A stage's peak is its own ({@value #STAGE_PEAK}, MiB): the kernel's high-water mark is reset
 * when the stage starts, so it counts what the stage allocated and what earlier stages still hold.
 * Where the reset was refused (no writable {@code /proc/self/clear_refs}) the stage's entry is
 * under {@value #PROCESS_PEAK} instead: the process's peak up to the stage's end.
 *
 * @param json the whole summary
 */
public record RunSummary(ObjectNode json) {
    /** summary.json's key of each stage's own peak RSS, MiB. */
    public static final String STAGE_PEAK = "stage_peak_rss_mib";
    /** summary.json's key of the process's peak RSS at the end of each stage whose own peak could not be read, MiB. */
    public static final String PROCESS_PEAK = "stage_end_process_peak_rss_mib";
    /** summary.json's key of the highest of the stage peaks, MiB. */
    public static final String MAX_PEAK = "max_stage_peak_rss_mib";

    /** Gathers what the stages of the run at {@code layout} wrote. */
    static RunSummary collect(String name, String data, RunLayout layout, RunState state) throws IOException {
        ObjectNode s = Json.MAPPER.createObjectNode();
        s.put("name", name);
        s.put("data", data);
        s.put("run", layout.root().toString());
        ObjectNode stages = s.putObject("stage_seconds");
        double total = 0;
        for (Map.Entry<String, Double> e : state.seconds().entrySet()) {
            stages.put(e.getKey(), round(e.getValue()));
            total += e.getValue();
        }
        s.put("total_seconds", round(total));
        ObjectNode own = Json.MAPPER.createObjectNode();
        ObjectNode process = Json.MAPPER.createObjectNode();
        double max = -1;
        for (Map.Entry<String, MemoryPeak> e : state.peakRss().entrySet()) {
            MemoryPeak p = e.getValue();
            (p.scope() == MemoryPeak.Scope.OWN ? own : process).put(e.getKey(), round(p.mib()));
            max = Math.max(max, p.mib());
        }
        if (!own.isEmpty()) {
            s.set(STAGE_PEAK, own);
        }
        if (!process.isEmpty()) {
            s.set(PROCESS_PEAK, process);
        }
        if (max >= 0) {
            s.put(MAX_PEAK, round(max));
        }
        putIfExists(s, "autoencoder", layout.autoencoder().resolve("metrics.json"));
        putIfExists(s, "baseline_autoencoder", layout.baselineAutoencoder().resolve("metrics.json"));
        putIfExists(s, "eval", layout.eval().resolve("metrics.json"));
        costs(s, layout);
        return new RunSummary(s);
    }

    /**
     * The share of training a point stands for, in percent: k/points of the steps, drawn at the
     * nearest whole step, so step 43 of 85 is the 50% point (not 51%). Without a point count, the
     * fraction itself.
     */
    static long nominalPercent(double fraction, int points) {
        return points > 1 ? Math.round(100.0 * Math.round(fraction * points) / points) : Math.round(100 * fraction);
    }

    /**
     * What the UNet's budget bought ({@code unet_budget}, from config.yaml: the measured img/s and
     * the steps), the sample quality at each point of its training ({@code progress}, {@link
     * ProgressPoints}), and what a sample costs ({@code sampling}: the points' images per second of
     * drawing, and its inverse, seconds per image).
     */
    private static void costs(ObjectNode s, RunLayout layout) throws IOException {
        int points = 0;
        if (Files.isRegularFile(layout.config())) {
            JsonNode config = Json.readYamlTree(layout.config());
            JsonNode budget = config.path(ThroughputProbe.KEY);
            if (budget.isObject()) {
                s.set("unet_budget", budget);
            }
            points = config.path("progress_points").asInt(0);
        }
        ArrayNode progress = ProgressPoints.collect(layout.diffusion().resolve(ProgressPoints.DIR), s.get("eval"));
        if (progress.isEmpty()) {
            return;
        }
        s.set("progress", progress);
        double images = 0;
        double seconds = 0;
        ObjectNode byPercent = s.putObject("progress_fd");
        for (JsonNode p : progress) {
            byPercent.set(String.valueOf(nominalPercent(p.path("fraction").asDouble(), points)),
                    p.path("metrics").path("fd"));
            if (p.has("sampling_seconds")) {
                images += p.path("samples").asDouble();
                seconds += p.path("sampling_seconds").asDouble();
            }
        }
        if (seconds > 0) {
            s.putObject("sampling").put("images_per_second", images / seconds).put("seconds_per_sample",
                    seconds / images);
        }
    }

    /** Writes summary.json and summary.md, atomically. */
    void write(RunLayout layout) throws IOException {
        Json.write(layout.summaryJson(), json);
        AtomicFiles.writeString(layout.summaryMarkdown(), markdown());
    }

    /** The summary as Markdown: stage times, then one table per metrics section. */
    public String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(json.path("name").asText()).append(" — ").append(json.path("data").asText())
                .append("\n\n");
        md.append("| stage | wall time | peak RSS |\n| --- | --- | --- |\n");
        for (Map.Entry<String, JsonNode> e : json.path("stage_seconds").properties()) {
            md.append("| ").append(e.getKey()).append(" | ").append(formatSeconds(e.getValue().asDouble()))
                    .append(" | ").append(stagePeak(e.getKey())).append(" |\n");
        }
        md.append("| **total** | **").append(formatSeconds(json.path("total_seconds").asDouble())).append("** | ")
                .append(json.has(MAX_PEAK) ? "**max " + formatMib(json.get(MAX_PEAK).asDouble()) + "**" : "n/a")
                .append(" |\n");
        if (!json.path(PROCESS_PEAK).isEmpty()) {
            md.append("\nA peak marked \"process so far\" is the process's peak up to the stage's end:"
                    + " /proc/self/clear_refs could not be written, so the high-water mark was not reset when the"
                    + " stage started.\n");
        }
        headline(md);
        for (String section : new String[] {"autoencoder", "baseline_autoencoder", "eval"}) {
            if (json.has(section)) {
                md.append("\n## ").append(section.replace('_', ' ')).append("\n\n");
                table(md, "", json.get(section));
            }
        }
        return md.toString();
    }

    /**
     * The comparison the project exists for: the compressor + diffusion against the textbook VAE
     * sampled from its prior, on the same metrics.
     */
    private void headline(StringBuilder md) {
        JsonNode ldm = json.path("eval").path("ldm");
        JsonNode vae = json.path("eval").path("vae_prior");
        JsonNode ae = json.path("autoencoder").path("test");
        JsonNode base = json.path("baseline_autoencoder").path("test");
        if (ldm.isMissingNode() && ae.isMissingNode()) {
            return;
        }
        md.append("\n## Latent diffusion vs the pixel-space VAE sampler\n\n");
        md.append("| | latent diffusion (β = ").append(format(json.path("autoencoder").path("beta")))
                .append(" AE + UNet) | ").append(baselineName(json.path("baseline_autoencoder")))
                .append(" |\n| --- | --- | --- |\n");
        row(md, "sample FD ↓", ldm.path("fd"), vae.path("fd"));
        row(md, "precision ↑", ldm.path("precision"), vae.path("precision"));
        row(md, "recall ↑", ldm.path("recall"), vae.path("recall"));
        row(md, "class accuracy ↑", ldm.path("classAccuracy"), vae.path("classAccuracy"));
        row(md, "unplaceable (top class p < 0.5) ↓", ldm.path("unplaceableShare"), vae.path("unplaceableShare"));
        row(md, "sharpness (1 = real)", ldm.path("sharpness"), vae.path("sharpness"));
        JsonNode aeRun = json.path("autoencoder");
        JsonNode baseRun = json.path("baseline_autoencoder");
        if (aeRun.has("betaEffective") || baseRun.has("betaEffective")) {
            md.append("| effective β (the KL's weight against the summed error) | ").append(effectiveBeta(aeRun))
                    .append(" | ").append(effectiveBeta(baseRun)).append(" |\n");
        }
        row(md, "autoencoder test PSNR (dB) ↑", ae.path("psnr"), base.path("psnr"));
        JsonNode rfd = json.path("eval").path("reconstruction_fd");
        if (!rfd.isMissingNode()) {
            row(md, "reconstruction FD (rFD, " + rfd.path("images").asInt() + " test images) ↓", rfd.path("autoencoder"),
                    rfd.path("baseline"));
        }
        row(md, "autoencoder test SSIM ↑", ae.path("ssim"), base.path("ssim"));
        row(md, "rate (bits/image)", ae.path("rateBitsPerImage"), base.path("rateBitsPerImage"));
        row(md, "active latent units", ae.path("activeFraction"), base.path("activeFraction"));
        JsonNode own = json.path("eval").path(EndToEndRun.AE_PRIOR);
        if (own.isObject()) {
            md.append("\nThe compressor's own N(0, I) prior, decoded as a VAE would sample it: FD ")
                    .append(format(own.path("fd"))).append(", unplaceable ").append(format(own.path("unplaceableShare")))
                    .append(", sharpness ").append(format(own.path("sharpness"))).append(".\n");
        }
    }

    /** "VAE prior (β = 1.000, dense latent, d = 16, τ = 1)": which VAE the baseline column is, if the run has one. */
    private static String baselineName(JsonNode autoencoder) {
        if (!autoencoder.has("beta")) {
            return "VAE prior (no baseline in this run)";
        }
        String latent = switch (autoencoder.path("latent").asText("")) {
            case "dense" -> autoencoder.has("latentDim") ? ", dense latent, d = " + autoencoder.get("latentDim").asInt()
                    : ", dense latent";
            case "conv" -> ", conv latent";
            default -> "";
        };
        return "VAE prior (β = " + format(autoencoder.get("beta")) + latent + ", τ = 1)";
    }

    /** "2e-06 (sum_absolute_error, l1)" from an autoencoder's metrics, or "n/a" before effective β existed. */
    private static String effectiveBeta(JsonNode autoencoder) {
        JsonNode beta = autoencoder.path("betaEffective");
        if (!beta.isNumber()) {
            return "n/a";
        }
        return format(beta) + " (" + autoencoder.path("betaRelativeTo").asText("?") + ", "
                + autoencoder.path("loss").asText("?") + ")";
    }

    private static void row(StringBuilder md, String name, JsonNode a, JsonNode b) {
        md.append("| ").append(name).append(" | ").append(a.isMissingNode() ? "n/a" : format(a)).append(" | ")
                .append(b.isMissingNode() ? "n/a" : format(b)).append(" |\n");
    }

    private static void table(StringBuilder md, String prefix, JsonNode node) {
        if (prefix.isEmpty()) {
            md.append("| metric | value |\n| --- | --- |\n");
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String key = prefix + e.getKey();
            JsonNode v = e.getValue();
            if (v.isObject()) {
                table(md, key + ".", v);
            } else {
                md.append("| ").append(key).append(" | ").append(format(v)).append(" |\n");
            }
        }
    }

    private static String format(JsonNode v) {
        if (v.isFloatingPointNumber()) {
            return String.format(Locale.ROOT, "%.4g", v.asDouble());
        }
        if (v.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode x : v) {
                sb.append(sb.length() == 0 ? "" : ", ").append(format(x));
            }
            return sb.toString();
        }
        return v.isNull() ? "n/a" : v.asText();
    }

    /** The stage table's peak cell: "812.4 MiB", "812.4 MiB (process so far)" or "n/a". */
    private String stagePeak(String stage) {
        JsonNode own = json.path(STAGE_PEAK).path(stage);
        if (own.isNumber()) {
            return formatMib(own.asDouble());
        }
        JsonNode process = json.path(PROCESS_PEAK).path(stage);
        return process.isNumber() ? formatMib(process.asDouble()) + " (process so far)" : "n/a";
    }

    /** A peak for a log line: "812.4 MiB", or "812.4 MiB (process so far)" when it is not the stage's own. */
    static String formatPeak(MemoryPeak peak) {
        return ProcessMemory.mib(peak.bytes()) + (peak.scope() == MemoryPeak.Scope.OWN ? "" : " (process so far)");
    }

    private static String formatMib(double mib) {
        return String.format(Locale.ROOT, "%.1f MiB", mib);
    }

    /** "1 min 23 s" or "4.2 s". */
    static String formatSeconds(double s) {
        if (s < 60) {
            return String.format(Locale.ROOT, "%.1f s", s);
        }
        long whole = Math.round(s);
        return String.format(Locale.ROOT, "%d min %02d s", whole / 60, whole % 60);
    }

    private static void putIfExists(ObjectNode into, String key, Path file) {
        if (Files.isRegularFile(file)) {
            into.set(key, Json.readTree(file));
        }
    }

    /** To one decimal, as seconds and MiB are shown. */
    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
