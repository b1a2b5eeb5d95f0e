package ldm4j.pipeline.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ldm4j.core.io.AtomicFiles;
import ldm4j.core.io.Json;
import ldm4j.pipeline.eval.SampleMetrics;
import ldm4j.pipeline.report.Findings.Scored;
import ldm4j.pipeline.report.ReportPage.Figure;
import ldm4j.pipeline.report.ReportPage.Section;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * The page of {@code ldm4j compare}: each model's samples scored in one feature network, side by
 * side with what it cost to train. Writes {@code index.html}, {@code fd.png}, the grids and
 * {@code compare.json} into one folder.
 */
public final class ComparisonReport {
    private ComparisonReport() {}

    /**
     * One compared model.
     *
     * @param name its label
     * @param metrics its samples' scores
     * @param grid its samples' grid (copied into the report)
     * @param trainSeconds training wall time, or null when not recorded
     * @param trainImagesPerSecond training throughput, or null
     * @param costNote where the cost figures come from
     * @param samplesPerSecond sampling throughput measured here
     */
    public record Entry(String name, SampleMetrics metrics, Path grid, Double trainSeconds, Double trainImagesPerSecond,
            String costNote, double samplesPerSecond) {}

    /** Writes the report into {@code dir}; returns the page. */
    public static Path write(Path dir, String title, List<Entry> entries) throws IOException {
        Files.createDirectories(dir.resolve("grids"));
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Scored> scored = new ArrayList<>();
        List<Figure> grids = new ArrayList<>();
        int i = 0;
        for (Entry e : entries) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", e.name());
            row.put("metrics", e.metrics());
            row.put("train_seconds", e.trainSeconds());
            row.put("train_images_per_second", e.trainImagesPerSecond());
            row.put("cost_from", e.costNote());
            row.put("samples_per_second", e.samplesPerSecond());
            rows.add(row);
            SampleMetrics m = e.metrics();
            if (m.fd() != null && m.fdLow() != null && m.fdHigh() != null) {
                scored.add(new Scored(e.name(), new Interval(m.fd(), m.fdLow(), m.fdHigh())));
            }
            if (Files.isRegularFile(e.grid())) {
                String file = "grids/" + (++i) + ".png";
                AtomicFiles.writeBytes(dir.resolve(file), Files.readAllBytes(e.grid()));
                grids.add(new Figure(file, e.name() + ": " + m.samples() + " samples", true));
            }
        }
        Json.write(dir.resolve("compare.json"), rows);

        List<String> findings = new ArrayList<>();
        for (int a = 0; a < scored.size(); a++) {
            for (int b = a + 1; b < scored.size(); b++) {
                findings.add(Findings.compare(scored.get(a), scored.get(b)));
            }
        }
        List<Figure> plots = new ArrayList<>();
        if (!scored.isEmpty()) {
            Charts.save(Charts.fdBySampler(scored), dir.resolve("fd.png"));
            plots.add(new Figure("fd.png", "FD of each model's samples with its 95% bootstrap interval."));
        }
        List<Section> sections = List.of(new Section("Sample quality", findings, plots),
                new Section("Samples", List.of(), grids));
        Document page = ReportPage.render(title, List.of("Every model drew the same number of samples, scored by "
                + "the same feature network. Every sentence is generated from the table below; a difference in FD "
                + "is claimed only where two 95% intervals do not overlap."), sections, List.of());
        table(page.body().appendElement("h2").text("Side by side").parent().appendElement("table"), entries);
        Path index = dir.resolve(Report.INDEX);
        AtomicFiles.writeString(index, page.outerHtml());
        return index;
    }

    private static void table(Element table, List<Entry> entries) {
        Element head = table.appendElement("thead").appendElement("tr");
        for (String h : new String[] {"model", "FD ↓", "95% interval", "precision ↑", "recall ↑", "class accuracy ↑",
            "unplaceable ↓", "sharpness (1 = real)", "training (s)", "training img/s", "sampling img/s", "cost from"}) {
            head.appendElement("th").text(h);
        }
        Element body = table.appendElement("tbody");
        for (Entry e : entries) {
            SampleMetrics m = e.metrics();
            Element tr = body.appendElement("tr");
            tr.appendElement("td").text(e.name());
            tr.appendElement("td").text(text(m.fd()));
            tr.appendElement("td").text(m.fdLow() == null ? "–" : text(m.fdLow()) + "–" + text(m.fdHigh()));
            tr.appendElement("td").text(text(m.precision()));
            tr.appendElement("td").text(text(m.recall()));
            tr.appendElement("td").text(text(m.classAccuracy()));
            tr.appendElement("td").text(text(m.unplaceableShare()));
            tr.appendElement("td").text(text(m.sharpness()));
            tr.appendElement("td").text(text(e.trainSeconds()));
            tr.appendElement("td").text(text(e.trainImagesPerSecond()));
            tr.appendElement("td").text(text(e.samplesPerSecond()));
            tr.appendElement("td").text(e.costNote());
        }
    }

    private static String text(Double v) {
        return v == null || !Double.isFinite(v) ? "–" : Findings.number(v);
    }
}
