package ldm4j.pipeline.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import ldm4j.core.io.AtomicFiles;
import ldm4j.pipeline.eval.LatentGeometry;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's plots, drawn with XChart and written as PNG. Each method builds one chart from
 * results rows; {@link #save} writes it atomically.
 */
final class Charts {
    static final int WIDTH = 720;
    static final int HEIGHT = 440;
    /** Pixels per stacked legend entry. */
    private static final int LEGEND_ROW_HEIGHT = 20;
    /** One colour per series, in order (Tableau 10: readable and distinct in print). */
    static final Color[] PALETTE = {new Color(0x4e79a7), new Color(0xf28e2b), new Color(0xe15759),
        new Color(0x76b7b2), new Color(0x59a14f), new Color(0xedc948), new Color(0xb07aa1), new Color(0xff9da7)};

    static {
        // Charts are drawn off screen; a machine without a display must not try to open one.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private Charts() {}

    /** How a swept parameter sits on a plot's x axis. */
    interface SweepAxis {
        /** The x coordinate of a parameter value. */
        double position(double value);

        /** The tick label at an x coordinate, "" for none. */
        String label(double position);

        /** The axis title. */
        String title();
    }

    /**
     * A log-scale axis for β: x = log10 β, and β = 0 (which has no logarithm) at its own tick one
     * decade left of the smallest positive β.
     */
    static SweepAxis logAxisWithZero(String name, List<Double> values) {
        double smallest = values.stream().filter(v -> v > 0).mapToDouble(Math::log10).min().orElse(0);
        double zeroAt = Math.floor(smallest) - 1;
        return new SweepAxis() {
            @Override
            public double position(double value) {
                return value > 0 ? Math.log10(value) : zeroAt;
            }

            @Override
            public String label(double position) {
                if (Math.abs(position - zeroAt) < 1e-9) {
                    return "0";
                }
                if (position < zeroAt || Math.abs(position - Math.rint(position)) > 1e-9) {
                    return "";
                }
                long exponent = Math.round(position);
                return exponent == 0 ? "1" : "1e" + exponent;
            }

            @Override
            public String title() {
                return name + " (log scale; 0 at its own tick)";
            }
        };
    }

    /** A linear axis labelled with the values themselves (f, seeds). */
    static SweepAxis linearAxis(String name) {
        return new SweepAxis() {
            @Override
            public double position(double value) {
                return value;
            }

            @Override
            public String label(double position) {
                return Math.abs(position - Math.rint(position)) < 1e-9 ? Long.toString(Math.round(position)) : "";
            }

            @Override
            public String title() {
                return name;
            }
        };
    }

    /** Rate against distortion: one labelled point per run (bits/image on a log axis, PSNR up). */
    static XYChart rateDistortion(List<ResultRow> rows) {
        XYChart chart = base("Rate–distortion", "rate (bits per image, log scale)", "reconstruction PSNR (dB)");
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        int i = 0;
        for (ResultRow r : rows) {
            OptionalDouble bits = r.number(ResultColumn.RATE_BITS);
            OptionalDouble psnr = r.number(ResultColumn.AE_PSNR);
            if (bits.isPresent() && psnr.isPresent() && bits.getAsDouble() > 0) {
                XYSeries s = chart.addSeries(r.name(), new double[] {bits.getAsDouble()},
                        new double[] {psnr.getAsDouble()});
                s.setMarker(SeriesMarkers.CIRCLE).setMarkerColor(PALETTE[i++ % PALETTE.length]);
            }
        }
        return chart;
    }

    /**
     * One line per metric over the swept parameter, each point with its interval drawn as a
     * vertical bar when the metric has one.
     */
    static XYChart sweep(String title, String yTitle, SweepAxis axis, List<ResultRow> rows, List<Line> lines) {
        return sweep(title, yTitle, axis, PointGroup.each(rows), lines, List.of());
    }

    /** A labelled horizontal line across a sweep's chart, with its interval dashed: the shared VAE baseline. */
    record Reference(String name, Interval value) {}

    /**
     * One line per metric through the points' means over the swept parameter. A point with one seed
     * has its interval as a vertical bar; a point with several shows every seed's value and interval
     * faintly, and the seeds' spread (max − min) as a thick bar through the mean. An extra point that
     * sits on the axis (LDM's l1 at β = 1e-6) is a separate, labelled marker off the line; each
     * reference is a horizontal line with its interval dashed.
     */
    static XYChart sweep(String title, String yTitle, SweepAxis axis, List<PointGroup> points, List<Line> lines,
            List<Reference> references) {
        XYChart chart = base(title, axis.title(), yTitle);
        chart.setCustomXAxisTickLabelsFormatter(axis::label);
        List<PointGroup> sorted = new ArrayList<>(points.stream().filter(p -> p.shownAt() != null).toList());
        sorted.sort(Comparator.comparingDouble(PointGroup::shownAt));
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        int colour = 0;
        for (Line line : lines) {
            Color c = PALETTE[colour++ % PALETTE.length];
            Color faint = new Color(c.getRed(), c.getGreen(), c.getBlue(), 80);
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            boolean seedsInLegend = false;
            boolean spreadInLegend = false;
            for (PointGroup p : sorted) {
                OptionalDouble y = p.mean(line.value());
                if (y.isEmpty()) {
                    continue;
                }
                double x = axis.position(p.shownAt());
                minX = Math.min(minX, x);
                maxX = Math.max(maxX, x);
                if (p.seeds() == 1) {
                    Interval interval = line.low() == null ? null : p.interval(line.value(), line.low(), line.high());
                    if (interval != null) {
                        bar(chart, line.name() + " interval " + p.point(), x, interval.low(), interval.high(), c, 2f,
                                false);
                    }
                } else {
                    double min = Double.POSITIVE_INFINITY;
                    double max = Double.NEGATIVE_INFINITY;
                    for (ResultRow r : p.runs()) {
                        OptionalDouble v = r.number(line.value());
                        if (v.isEmpty()) {
                            continue;
                        }
                        min = Math.min(min, v.getAsDouble());
                        max = Math.max(max, v.getAsDouble());
                        Interval interval = line.low() == null ? null : r.interval(line.value(), line.low(), line.high());
                        if (interval != null) {
                            bar(chart, line.name() + " interval " + r.name(), x, interval.low(), interval.high(), faint,
                                    2f, false);
                        }
                        XYSeries dot = chart.addSeries(seedsInLegend ? line.name() + " " + r.name()
                                : line.name() + ", each seed", new double[] {x}, new double[] {v.getAsDouble()});
                        dot.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                        dot.setMarker(SeriesMarkers.CIRCLE).setMarkerColor(faint);
                        dot.setShowInLegend(!seedsInLegend);
                        seedsInLegend = true;
                    }
                    bar(chart, spreadInLegend ? line.name() + " spread " + p.point()
                            : line.name() + ", seeds' spread (max − min)", x, min, max, c, 6f, !spreadInLegend);
                    spreadInLegend = true;
                }
                if (p.sweepValue() != null) {
                    xs.add(x);
                    ys.add(y.getAsDouble());
                } else {
                    XYSeries extra = chart.addSeries(line.name() + " (" + p.point() + (p.seeds() > 1 ? ", mean" : "")
                            + ")", new double[] {x}, new double[] {y.getAsDouble()});
                    extra.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                    extra.setMarker(SeriesMarkers.DIAMOND).setMarkerColor(c);
                }
            }
            if (!xs.isEmpty()) {
                XYSeries s = chart.addSeries(line.name() + (sorted.stream().anyMatch(p -> p.seeds() > 1
                        && p.sweepValue() != null) ? " (mean over seeds)" : ""), xs, ys);
                s.setMarker(SeriesMarkers.CIRCLE).setMarkerColor(c).setLineColor(c);
            }
        }
        if (minX <= maxX) {
            // from the first point to the last: padding by half a unit moved XChart's ticks off the
            // whole numbers the axis labels, and the β axis lost every label
            double[] span = {minX, maxX};
            for (Reference ref : references) {
                Interval v = ref.value();
                XYSeries line = chart.addSeries(ref.name() + " (dashed: 95% interval)", span,
                        new double[] {v.value(), v.value()});
                line.setMarker(SeriesMarkers.NONE).setLineColor(Color.DARK_GRAY).setLineStyle(new BasicStroke(2f));
                for (double end : new double[] {v.low(), v.high()}) {
                    XYSeries edge = chart.addSeries(ref.name() + " at " + end, span, new double[] {end, end});
                    edge.setShowInLegend(false);
                    edge.setMarker(SeriesMarkers.NONE).setLineColor(Color.DARK_GRAY)
                            .setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                                    new float[] {6f, 4f}, 0f));
                }
            }
        }
        return chart;
    }

    /**
     * A horizontal legend wider than the chart is cut off at both sides (seeds, spreads and a
     * baseline give a sweep's FD chart nine entries; eight sub-runs crowd the rate–distortion
     * plot): stack the entries, and make the chart taller by as much.
     */
    private static void stackLegendWhenLong(XYChart chart) {
        List<String> names = chart.getSeriesMap().values().stream().filter(XYSeries::isShowInLegend)
                .map(XYSeries::getName).toList();
        // about 7 px per character of the legend's font, and 45 px of marker and gap per entry
        int width = names.stream().mapToInt(n -> 7 * n.length() + 45).sum();
        int entries = names.size();
        if (width > WIDTH - 20 && chart instanceof Growable g) {
            chart.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
            g.height(HEIGHT + entries * LEGEND_ROW_HEIGHT);
        }
    }

    /** An XYChart whose height may grow once its series are known (XChart keeps the setter protected). */
    private static final class Growable extends XYChart {
        Growable(XYChartBuilder builder) {
            super(builder);
        }

        void height(int pixels) {
            setHeight(pixels);
        }
    }

    /** A vertical bar from {@code low} to {@code high} at {@code x}. */
    private static void bar(XYChart chart, String name, double x, double low, double high, Color colour, float width,
            boolean inLegend) {
        XYSeries bar = chart.addSeries(name, new double[] {x, x}, new double[] {low, high});
        bar.setMarker(SeriesMarkers.NONE).setLineColor(colour).setLineStyle(new BasicStroke(width));
        bar.setShowInLegend(inLegend);
        bar.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    }

    /** A metric drawn over a sweep: its column and, when it has one, its interval's columns. */
    record Line(String name, ResultColumn value, ResultColumn low, ResultColumn high) {
        static Line of(String name, ResultColumn value) {
            return new Line(name, value, null, null);
        }
    }

    /** FD of several sample sets side by side, each with its interval. */
    static XYChart fdBySampler(List<Findings.Scored> sets) {
        XYChart chart = base("Sample quality", "", "FD against the test split (log scale, lower is better)");
        // FDs of a diffusion model and a VAE prior differ by tens of times: a log axis shows both intervals.
        chart.getStyler().setYAxisLogarithmic(true).setXAxisMin(0.5).setXAxisMax(sets.size() + 0.5)
                .setXAxisTicksVisible(false);
        for (int i = 0; i < sets.size(); i++) {
            Findings.Scored s = sets.get(i);
            Color c = PALETTE[i % PALETTE.length];
            XYSeries bar = chart.addSeries(s.name() + " 95% interval", new double[] {i + 1, i + 1},
                    new double[] {s.fd().low(), s.fd().high()});
            bar.setMarker(SeriesMarkers.NONE).setLineColor(c).setLineStyle(new BasicStroke(3f));
            bar.setShowInLegend(false);
            XYSeries point = chart.addSeries(s.name(), new double[] {i + 1}, new double[] {s.fd().value()});
            point.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            point.setMarker(SeriesMarkers.DIAMOND).setMarkerColor(c);
        }
        return chart;
    }

    /** The scaled latents' histograms, one line per run, over the N(0, 1) density. */
    static XYChart latentHistograms(Map<String, LatentGeometry> geometry) {
        XYChart chart = base("Scaled latents against N(0, 1)", "latent value × scale factor", "density");
        chart.getStyler().setXAxisMin(-LatentGeometry.RANGE).setXAxisMax(LatentGeometry.RANGE);
        int colour = 0;
        double[] centres = null;
        for (Map.Entry<String, LatentGeometry> e : geometry.entrySet()) {
            double[] edges = e.getValue().binEdges();
            centres = new double[edges.length - 1];
            for (int i = 0; i < centres.length; i++) {
                centres[i] = (edges[i] + edges[i + 1]) / 2;
            }
            XYSeries s = chart.addSeries(e.getKey(), centres, e.getValue().density());
            s.setMarker(SeriesMarkers.NONE).setLineColor(PALETTE[colour++ % PALETTE.length]);
        }
        if (centres != null) {
            double[] normal = new double[centres.length];
            for (int i = 0; i < centres.length; i++) {
                normal[i] = Math.exp(-centres[i] * centres[i] / 2) / Math.sqrt(2 * Math.PI);
            }
            XYSeries s = chart.addSeries("N(0, 1)", centres, normal);
            s.setMarker(SeriesMarkers.NONE).setLineColor(Color.BLACK)
                    .setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                            new float[] {6f, 4f}, 0f));
        }
        return chart;
    }

    /** Test latents and prior draws on the latents' first two principal axes. */
    static XYChart latentProjection(String name, LatentGeometry g) {
        XYChart chart = base(name + ": latents and prior draws, first two principal axes",
                String.format(Locale.ROOT, "axis 1 (%.0f%% of the variance)", 100 * g.explained()[0]),
                String.format(Locale.ROOT, "axis 2 (%.0f%%)", 100 * g.explained()[1]));
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter).setMarkerSize(3);
        scatter(chart, "N(0, I) draws", g.prior(), PALETTE[1]);
        scatter(chart, "encoded test images", g.latents(), PALETTE[0]);
        return chart;
    }

    private static void scatter(XYChart chart, String name, double[][] points, Color colour) {
        double[] x = new double[points.length];
        double[] y = new double[points.length];
        for (int i = 0; i < points.length; i++) {
            x[i] = points[i][0];
            y[i] = points[i][1];
        }
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.CIRCLE).setMarkerColor(new Color(colour.getRed(), colour.getGreen(),
                colour.getBlue(), 120));
    }

    /** Training loss against step, one line per run, log y. */
    static XYChart lossCurves(String title, List<TrainingCurve> curves) {
        XYChart chart = base(title, "step", "training loss (log scale)");
        chart.getStyler().setYAxisLogarithmic(true);
        int colour = 0;
        for (TrainingCurve curve : curves) {
            if (curve.steps().length == 0) {
                continue;
            }
            XYSeries s = chart.addSeries(curve.name(), curve.steps(), curve.values());
            s.setMarker(SeriesMarkers.NONE).setLineColor(PALETTE[colour++ % PALETTE.length]);
        }
        return chart;
    }

    /**
     * Sample FD against the share of the UNet's training done, one line per run, each point with its
     * interval as a vertical bar (LDM's Fig. 6).
     */
    static XYChart fdByProgress(Map<String, List<ProgressReport.Point>> runs) {
        XYChart chart = base("Sample FD during the UNet's training", "share of the UNet's training (%)",
                "FD (log scale, lower is better)");
        chart.getStyler().setYAxisLogarithmic(true);
        int colour = 0;
        for (Map.Entry<String, List<ProgressReport.Point>> run : runs.entrySet()) {
            Color c = PALETTE[colour++ % PALETTE.length];
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (ProgressReport.Point p : run.getValue()) {
                double x = 100 * p.fraction();
                xs.add(x);
                ys.add(p.fd().value());
                XYSeries bar = chart.addSeries(run.getKey() + " interval " + xs.size(), new double[] {x, x},
                        new double[] {p.fd().low(), p.fd().high()});
                bar.setMarker(SeriesMarkers.NONE).setLineColor(c).setLineStyle(new BasicStroke(2f));
                bar.setShowInLegend(false);
                bar.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            }
            if (!xs.isEmpty()) {
                XYSeries s = chart.addSeries(run.getKey(), xs, ys);
                s.setMarker(SeriesMarkers.CIRCLE).setMarkerColor(c).setLineColor(c);
            }
        }
        return chart;
    }

    /** True when the chart has something to draw; XChart refuses to render an empty chart. */
    static boolean hasSeries(XYChart chart) {
        return !chart.getSeriesMap().isEmpty();
    }

    /** Writes the chart as a PNG, atomically. */
    static void save(Chart<?, ?> chart, Path file) throws IOException {
        if (chart instanceof XYChart xy) {
            stackLegendWhenLong(xy);
        }
        AtomicFiles.writeBytes(file, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }

    private static XYChart base(String title, String xTitle, String yTitle) {
        XYChart chart = new Growable(new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle));
        chart.getStyler().setPlotGridLinesColor(new Color(0xdddddd));
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS).setLegendLayout(Styler.LegendLayout.Horizontal)
                .setChartBackgroundColor(Color.WHITE).setAntiAlias(true);
        chart.getStyler().setYAxisDecimalPattern("#,##0.###");
        return chart;
    }
}
