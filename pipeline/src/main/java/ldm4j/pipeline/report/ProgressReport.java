package ldm4j.pipeline.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import ldm4j.pipeline.report.Findings.Scored;
import ldm4j.pipeline.report.ReportPage.Figure;
import ldm4j.pipeline.report.ReportPage.Section;
import org.knowm.xchart.XYChart;

/**
 * The report's section for runs that scored samples during the UNet's training and trained it on a
 * compute budget (the f sweep, LDM's Fig. 6): FD against training progress, one line per run with
 * its bootstrap intervals, the UNet's training and sampling throughput against the swept value, and
 * sentences that claim a difference only where the intervals are disjoint.
 */
final class ProgressReport {
    private ProgressReport() {}

    /** One scored point of a run's training: the share of its steps done, and the FD there. */
    record Point(double fraction, Interval fd) {}

    /** The points of a summary's {@code progress} array that have an FD with its interval, in order. */
    static List<Point> points(JsonNode progress) {
        List<Point> out = new ArrayList<>();
        for (JsonNode p : progress) {
            JsonNode m = p.path("metrics");
            if (m.path("fd").isNumber() && m.path("fdLow").isNumber() && m.path("fdHigh").isNumber()) {
                out.add(new Point(p.path("fraction").asDouble(), new Interval(m.path("fd").asDouble(),
                        m.path("fdLow").asDouble(), m.path("fdHigh").asDouble())));
            }
        }
        return out;
    }

    /**
     * The section.
     *
     * @param sweep what the runs sweep, or null for one run
     * @param progress each run's {@code progress} array, by the run's name
     */
    static Section section(Path dir, Report.Sweep sweep, List<ResultRow> rows, Map<String, JsonNode> progress)
            throws IOException {
        String p = sweep == null ? "run" : sweep.parameter();
        Map<String, List<Point>> byRun = new LinkedHashMap<>();
        progress.forEach((name, array) -> byRun.put(name, points(array)));
        List<String> findings = new ArrayList<>();
        List<Scored> finals = new ArrayList<>();
        for (ResultRow r : rows) {
            Interval end = r.interval(ResultColumn.LDM_FD, ResultColumn.LDM_FD_LOW, ResultColumn.LDM_FD_HIGH);
            if (end != null && byRun.containsKey(r.name())) {
                finals.add(new Scored(r.name(), end));
            }
        }
        if (finals.size() > 1) {
            findings.add(Findings.best("FD at the end of the UNet's training", p, finals));
        }
        byRun.forEach((name, points) -> {
            if (points.size() >= 2) {
                Point first = points.get(0);
                Point last = points.get(points.size() - 1);
                findings.add(Findings.overTraining(name, first.fd(), Math.round(100 * first.fraction()), last.fd(),
                        Math.round(100 * last.fraction())));
            }
        });
        if (sweep != null) {
            addTrend(findings, "the UNet's training throughput (img/s)", p, rows, ResultColumn.UNET_IMAGES_PER_SECOND);
            addTrend(findings, "the UNet steps the budget bought", p, rows, ResultColumn.UNET_STEPS);
            addTrend(findings, "the sampling cost (seconds per image)", p, rows, ResultColumn.SECONDS_PER_SAMPLE);
        }
        List<Figure> figures = new ArrayList<>();
        plot(dir, "fd-progress.png", Charts.fdByProgress(byRun), "FD against the share of the UNet's training done, "
                + "one line per run, with 95% bootstrap intervals over the samples; the last point is the run's own "
                + "evaluation.", figures);
        if (sweep != null) {
            XYChart throughput = Charts.sweep("Throughput", "images per second (log scale)", Charts.linearAxis(p),
                    rows, List.of(Charts.Line.of("UNet training", ResultColumn.UNET_IMAGES_PER_SECOND),
                            Charts.Line.of("sampling", ResultColumn.SAMPLING_IMAGES_PER_SECOND)));
            // pixels and f = 8 latents differ some 30×: a linear axis flattens every f but the fastest
            throughput.getStyler().setYAxisLogarithmic(true);
            plot(dir, "throughput.png", throughput, "UNet training images per second (measured by the budget's "
                    + "probe) and sampling images per second (at the progress points), against " + p + ".", figures);
        }
        return new Section("Quality against training at an equal compute budget", findings, figures);
    }

    private static void addTrend(List<String> into, String metric, String parameter, List<ResultRow> rows,
            ResultColumn column) {
        List<Findings.Point> points = new ArrayList<>();
        for (ResultRow r : rows) {
            OptionalDouble y = r.number(column);
            if (r.sweepValue() != null && y.isPresent()) {
                points.add(new Findings.Point(r.sweepValue(), y.getAsDouble()));
            }
        }
        if (points.size() > 1) {
            into.add(Findings.trend(metric, parameter, points));
        }
    }

    private static void plot(Path dir, String file, XYChart chart, String caption, List<Figure> into)
            throws IOException {
        if (Charts.hasSeries(chart)) {
            Charts.save(chart, dir.resolve(file));
            into.add(new Figure(file, caption));
        }
    }
}
