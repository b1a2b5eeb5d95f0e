package ldm4j.pipeline.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import ldm4j.core.io.AtomicFiles;
import ldm4j.core.io.Json;
import ldm4j.pipeline.RunLayout;

/**
 * A run's results in one place: {@code summary.json} (every metric the stages wrote, plus the wall
 * time of each stage) and {@code summary.md} (the same as tables a person reads).
 *
 * @param json the whole summary
 */
public record RunSummary(ObjectNode json) {
    /** Gathers what the stages of the run at {@code layout} wrote. */
    static RunSummary collect(RunConfig config, RunLayout layout, RunState state) {
        ObjectNode s = Json.MAPPER.createObjectNode();
        s.put("name", config.name());
        s.put("data", config.data());
        s.put("run", layout.root().toString());
        ObjectNode stages = s.putObject("stage_seconds");
        double total = 0;
        for (Map.Entry<String, Double> e : state.seconds().entrySet()) {
            stages.put(e.getKey(), round(e.getValue()));
            total += e.getValue();
        }
        s.put("total_seconds", round(total));
        putIfExists(s, "autoencoder", layout.autoencoder().resolve("metrics.json"));
        putIfExists(s, "baseline_autoencoder", layout.baselineAutoencoder().resolve("metrics.json"));
        putIfExists(s, "eval", layout.eval().resolve("metrics.json"));
        return new RunSummary(s);
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
        md.append("| stage | wall time |\n| --- | --- |\n");
        for (Map.Entry<String, JsonNode> e : json.path("stage_seconds").properties()) {
            md.append("| ").append(e.getKey()).append(" | ").append(formatSeconds(e.getValue().asDouble()))
                    .append(" |\n");
        }
        md.append("| **total** | **").append(formatSeconds(json.path("total_seconds").asDouble())).append("** |\n");
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
                .append(" AE + UNet) | VAE prior (β = ").append(format(json.path("baseline_autoencoder").path("beta")))
                .append(") |\n| --- | --- | --- |\n");
        row(md, "sample FD ↓", ldm.path("fd"), vae.path("fd"));
        row(md, "precision ↑", ldm.path("precision"), vae.path("precision"));
        row(md, "recall ↑", ldm.path("recall"), vae.path("recall"));
        row(md, "class accuracy ↑", ldm.path("classAccuracy"), vae.path("classAccuracy"));
        row(md, "sharpness (1 = real)", ldm.path("sharpness"), vae.path("sharpness"));
        row(md, "autoencoder test PSNR (dB) ↑", ae.path("psnr"), base.path("psnr"));
        row(md, "autoencoder test SSIM ↑", ae.path("ssim"), base.path("ssim"));
        row(md, "rate (bits/image)", ae.path("rateBitsPerImage"), base.path("rateBitsPerImage"));
        row(md, "active latent units", ae.path("activeFraction"), base.path("activeFraction"));
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

    private static double round(double seconds) {
        return Math.round(seconds * 10) / 10.0;
    }
}
