package ldm4j.pipeline.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * {@code index.html}: the findings, the plots, the grids and the results table on one page, built
 * as a jsoup DOM (so every value is escaped) with its style inline, so the page opens from the
 * file system with no server and no network.
 */
final class ReportPage {
    private static final String STYLE = """
            body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em;
                   color: #222; line-height: 1.45; }
            h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; }
            figure { display: inline-block; margin: 0.5em 1% 1em 0; vertical-align: top; max-width: 48%; }
            figure img { max-width: 100%; border: 1px solid #eee; }
            figure.grid img { image-rendering: pixelated; }
            figcaption { font-size: 0.9em; color: #555; max-width: 720px; }
            table { border-collapse: collapse; font-size: 0.85em; display: block; overflow-x: auto; }
            th, td { border: 1px solid #ddd; padding: 0.3em 0.5em; text-align: right; white-space: nowrap; }
            th:first-child, td:first-child { text-align: left; }
            th { background: #f6f6f6; }
            p.finding { margin: 0.4em 0; }
            tr.mean td { font-weight: 600; } tr.spread td { color: #666; } tr.baseline td { background: #f3f7fb; }
            """;

    /** A picture on the page, with the sentence under it. */
    record Figure(String file, String caption, boolean grid) {
        Figure(String file, String caption) {
            this(file, caption, false);
        }
    }

    /** One heading with its sentences and pictures. */
    record Section(String title, List<String> findings, List<Figure> figures) {}

    private ReportPage() {}

    /**
     * The page.
     *
     * @param rows the results table as {@link ResultsFiles#table} makes it; none for no table
     */
    static Document render(String title, List<String> summary, List<Section> sections,
            List<Map<String, Object>> rows) {
        Document doc = Document.createShell("");
        doc.outputSettings().charset("UTF-8").prettyPrint(true);
        doc.head().appendElement("meta").attr("charset", "utf-8");
        doc.head().appendElement("meta").attr("name", "viewport").attr("content", "width=device-width, initial-scale=1");
        doc.title(title);
        doc.head().appendElement("style").appendText(STYLE);
        Element body = doc.body();
        body.appendElement("h1").text(title);
        for (String s : summary) {
            body.appendElement("p").addClass("finding").text(s);
        }
        for (Section section : sections) {
            body.appendElement("h2").text(section.title());
            for (String s : section.findings()) {
                body.appendElement("p").addClass("finding").text(s);
            }
            for (Figure f : section.figures()) {
                Element figure = body.appendElement("figure");
                if (f.grid()) {
                    figure.addClass("grid");
                }
                figure.appendElement("img").attr("src", f.file()).attr("alt", f.caption());
                figure.appendElement("figcaption").text(f.caption());
            }
        }
        if (rows.isEmpty()) {
            return doc;
        }
        body.appendElement("h2").text("Results");
        body.appendElement("p").text("Every column of results.csv that at least one run measured. "
                + "The same values are in results.csv and results.json beside this page. A point run with several "
                + "seeds has two more rows after the runs: the mean over its seeds and their spread (max − min).");
        table(body.appendElement("table"), rows);
        return doc;
    }

    private static void table(Element table, List<Map<String, Object>> rows) {
        List<ResultColumn> columns = new ArrayList<>();
        for (ResultColumn c : ResultColumn.values()) {
            if (rows.stream().anyMatch(r -> r.get(c.id()) != null)) {
                columns.add(c);
            }
        }
        boolean sweep = rows.stream().anyMatch(r -> r.get(ResultsFiles.SWEEP_VALUE) != null);
        Element head = table.appendElement("thead").appendElement("tr");
        head.appendElement("th").text("run");
        if (sweep) {
            head.appendElement("th").text("value");
        }
        for (ResultColumn c : columns) {
            head.appendElement("th").text(c.title()).attr("title", c.id());
        }
        Element body = table.appendElement("tbody");
        for (Map<String, Object> r : rows) {
            Element tr = body.appendElement("tr");
            Object kind = r.get(ResultsFiles.KIND);
            if (kind != null && !ResultsFiles.RUN_ROW.equals(kind)) {
                tr.addClass(kind.toString());
            }
            tr.appendElement("td").text(String.valueOf(r.get(ResultsFiles.RUN)));
            if (sweep) {
                Object value = r.get(ResultsFiles.SWEEP_VALUE);
                tr.appendElement("td").text(value instanceof Double d ? Findings.number(d) : "");
            }
            for (ResultColumn c : columns) {
                Object v = r.get(c.id());
                tr.appendElement("td").text(v == null ? "–" : v instanceof Double d ? Findings.number(d) : v.toString());
            }
        }
    }
}
