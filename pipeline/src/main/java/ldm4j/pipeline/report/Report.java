package ldm4j.pipeline.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.Function;
import ldm4j.core.InputException;
import ldm4j.core.data.LatentSet;
import ldm4j.core.io.AtomicFiles;
import ldm4j.core.io.ConfigEnum;
import ldm4j.core.io.Json;
import ldm4j.core.train.TrainLog;
import ldm4j.pipeline.RunLayout;
import ldm4j.pipeline.SampleFiles;
import ldm4j.pipeline.eval.LatentGeometry;
import ldm4j.pipeline.stage.ProgressPoints;
import ldm4j.pipeline.report.Findings.Point;
import ldm4j.pipeline.report.Findings.Scored;
import ldm4j.pipeline.report.ReportPage.Figure;
import ldm4j.pipeline.report.ReportPage.Section;
import org.jsoup.nodes.Document;
import org.knowm.xchart.XYChart;

/**
 * A report a person reads in a browser: {@code report/} with {@code index.html}, the plots as
 * PNG, the grids, and {@code results.csv} / {@code results.json}. One run gives one row; a sweep
 * (the β ablation, the f sweep) gives one row per sub-run and plots against the swept value.
 *
 * <p>Everything the page shows is copied or drawn into the report folder, so it can be moved or
 * zipped whole, and opens from the file system with no server.
 */
public final class Report {
    /** The report's folder name inside a run or sweep directory. */
    public static final String DIR = "report";
    /** The page. */
    public static final String INDEX = "index.html";

    private static final String LDM = "latent diffusion";
    private static final String VAE = "VAE prior";
    private static final String OWN_PRIOR = "the compressor's own prior";
    /** Seeds the N(0, I) draws beside the latents, so a report redrawn is the same report. */
    private static final long GEOMETRY_SEED = 0;

    /** What a sweep varies and how its values sit on an axis. */
    public record Sweep(String parameter, Scale scale) {
        /** Axis of the swept value, spelled {@code log-with-zero} or {@code linear} in an ablation config. */
        public enum Scale implements ConfigEnum {
            /** log10, with 0 at its own tick left of the smallest positive value (β). */
            LOG_WITH_ZERO("log-with-zero"),
            /** the values as they are (f, seeds). */
            LINEAR("linear");

            private final String id;

            Scale(String id) {
                this.id = id;
            }

            @Override
            public String id() {
                return id;
            }
        }
    }

    private Report() {}

    /**
     * A finished run directory that is one line of a report.
     *
     * @param name its label, e.g. "β=1e-4"
     * @param sweepValue the swept parameter's value, or null outside a sweep
     * @param runDir the run directory, with its {@code summary.json}
     * @param point the point it is one seed of ({@code beta=1e-4} for {@code beta=1e-4_seed=1}); a
     *     sweep's text and plots average a point's seeds and show their spread
     * @param shownAt where plots against the swept parameter show it (an extra point that sets the
     *     swept key, off the line), or null for nowhere
     */
    public record SubRun(String name, Double sweepValue, Path runDir, String point, Double shownAt) {
        /** A run that is its own point, shown at its swept value. */
        public SubRun(String name, Double sweepValue, Path runDir) {
            this(name, sweepValue, runDir, name, sweepValue);
        }
    }

    /** The report of one run directory, from its {@code summary.json}, into {@code runDir/report}. */
    public static Path forRun(Path runDir) throws IOException {
        String name = summaryOf(runDir).path("name").asText(String.valueOf(runDir.getFileName()));
        return write(runDir.resolve(DIR), "ldm4j run " + name, null, List.of(new SubRun(name, null, runDir)));
    }

    /**
     * Writes the report of {@code runs} into {@code reportDir}.
     *
     * @param sweep what the runs sweep, or null when they are not points of one parameter
     * @return the page
     * @throws InputException when a run has no summary
     */
    public static Path write(Path reportDir, String title, Sweep sweep, List<SubRun> runs) throws IOException {
        return write(reportDir, title, sweep, runs, null);
    }

    /**
     * {@link #write(Path, String, Sweep, List)} with a baseline every run is measured against (an
     * ablation's shared VAE): its own row, a horizontal reference on the FD plot, and a sentence.
     *
     * @param baseline the baseline's run directory and label, or null for none
     */
    public static Path write(Path reportDir, String title, Sweep sweep, List<SubRun> runs, SubRun baseline)
            throws IOException {
        List<ResultRow> rows = new ArrayList<>();
        Map<String, LatentGeometry> geometry = new LinkedHashMap<>();
        Map<String, JsonNode> progress = new LinkedHashMap<>();
        for (SubRun run : runs) {
            ObjectNode summary = summaryOf(run.runDir()).deepCopy();
            Path latents = new RunLayout(run.runDir()).latents();
            LatentGeometry g = latentGeometry(latents);
            if (g != null) {
                geometry.put(run.name(), g);
                double scale = LatentSet.readHeader(latents).scaleFactor();
                summary.putObject("latent_geometry").put("unscaledStd", g.std() / scale)
                        .put("excessKurtosis", g.excessKurtosis()).put("klToNormal", g.klToNormal());
            }
            rows.add(ResultRow.fromSummary(run.name(), run.sweepValue(), run.runDir(), summary));
            if (summary.path("progress").isArray() && !summary.path("progress").isEmpty()) {
                progress.put(run.name(), summary.get("progress"));
            }
        }
        List<PointGroup> points = PointGroup.of(runs, rows);
        ResultRow reference = baseline == null ? null
                : ResultRow.fromSummary(baseline.name(), null, baseline.runDir(), summaryOf(baseline.runDir()));
        Files.createDirectories(reportDir);
        ResultsFiles.write(reportDir, points, reference);
        boolean seeds = points.stream().anyMatch(g -> g.seeds() > 1);
        List<String> summary = new ArrayList<>(List.of("Every sentence on this page is generated from the measured "
                + "values in the table at its end. FD intervals are 95% bootstrap intervals over the samples; a "
                + "difference in FD is claimed only where two intervals do not overlap" + (seeds ? " and the gap "
                + "is larger than the spread (max − min) of the FDs of one point's seeds." : ".")));
        List<Section> sections = new ArrayList<>();
        // an f sweep's f = 1 denoises pixels: its samples are diffusion samples, not latent diffusion's
        String diffusion = rows.stream().anyMatch(ResultRow::pixelSpace) ? "diffusion" : LDM;
        if (sweep == null) {
            singleRun(reportDir, rows, summary, sections);
        } else {
            sweep(reportDir, sweep, points, reference, diffusion, sections);
        }
        List<ResultRow> shown = new ArrayList<>(rows);
        if (reference != null) {
            shown.add(reference);
        }
        if (!progress.isEmpty()) {
            sections.add(ProgressReport.section(reportDir, sweep, rows, progress));
        }
        if (!geometry.isEmpty()) {
            sections.add(latentSection(reportDir, geometry, sweep));
        }
        sections.add(new Section("Grids", List.of(), grids(reportDir, shown, diffusion)));
        sections.add(new Section("Training", List.of(), lossCurves(reportDir, shown)));
        Document page = ReportPage.render(title, summary, sections, ResultsFiles.table(points, reference));
        Path index = reportDir.resolve(INDEX);
        AtomicFiles.writeString(index, page.outerHtml());
        return index;
    }

    private static void singleRun(Path dir, List<ResultRow> rows, List<String> summary, List<Section> sections)
            throws IOException {
        ResultRow run = rows.get(0);
        List<Scored> sets = new ArrayList<>();
        Interval ldm = run.interval(ResultColumn.LDM_FD, ResultColumn.LDM_FD_LOW, ResultColumn.LDM_FD_HIGH);
        Interval vae = run.interval(ResultColumn.VAE_FD, ResultColumn.VAE_FD_LOW, ResultColumn.VAE_FD_HIGH);
        if (ldm != null) {
            sets.add(new Scored(LDM, ldm));
        }
        if (vae != null) {
            sets.add(new Scored(VAE, vae));
        }
        Interval own = run.interval(ResultColumn.AE_PRIOR_FD, ResultColumn.AE_PRIOR_FD_LOW,
                ResultColumn.AE_PRIOR_FD_HIGH);
        List<String> findings = new ArrayList<>();
        if (sets.size() == 2) {
            findings.add(Findings.compare(sets.get(0), sets.get(1)));
        } else {
            sets.forEach(s -> findings.add(Findings.capitalised(s.name()) + " scores FD "
                    + Findings.withInterval(s.fd()) + "."));
        }
        if (own != null && ldm != null) {
            findings.add(Findings.compare(new Scored(LDM, ldm), new Scored(OWN_PRIOR, own)));
        }
        describe(run, ResultColumn.LDM_CLASS_ACCURACY, "Latent diffusion's class accuracy is %s", findings, Report::percent);
        describe(run, ResultColumn.LDM_UNPLACEABLE, "the classifier cannot place %s of its samples", findings,
                Report::percent);
        describe(run, ResultColumn.VAE_UNPLACEABLE, "and %s of the VAE prior's", findings, Report::percent);
        List<Figure> figures = new ArrayList<>();
        if (own != null) {
            sets.add(new Scored(OWN_PRIOR, own));
        }
        if (!sets.isEmpty()) {
            Charts.save(Charts.fdBySampler(sets), dir.resolve("fd.png"));
            figures.add(new Figure("fd.png", "FD of each sample set against the test split, with its 95% "
                    + "bootstrap interval over the samples."));
        }
        sections.add(new Section("Sample quality", findings, figures));
        List<String> ae = new ArrayList<>();
        OptionalDouble psnr = run.number(ResultColumn.AE_PSNR);
        OptionalDouble bits = run.number(ResultColumn.RATE_BITS);
        if (psnr.isPresent() && bits.isPresent()) {
            ae.add(String.format(Locale.ROOT, "The compressor reconstructs the test split at %s dB PSNR, keeping %s bits "
                    + "per image.", Findings.number(psnr.getAsDouble()), Findings.number(bits.getAsDouble())));
        }
        OptionalDouble vaePsnr = run.number(ResultColumn.VAE_PSNR);
        OptionalDouble vaeBits = run.number(ResultColumn.VAE_RATE_BITS);
        if (vaePsnr.isPresent() && vaeBits.isPresent()) {
            ae.add(String.format(Locale.ROOT, "The pixel-space VAE reconstructs at %s dB, keeping %s bits per image.",
                    Findings.number(vaePsnr.getAsDouble()), Findings.number(vaeBits.getAsDouble())));
        }
        sections.add(new Section("The autoencoders", ae, List.of()));
    }

    private static void sweep(Path dir, Sweep sweep, List<PointGroup> points, ResultRow baseline, String diffusion,
            List<Section> sections) throws IOException {
        String p = sweep.parameter();
        List<Double> values = points.stream().map(PointGroup::shownAt).filter(Objects::nonNull).toList();
        Charts.SweepAxis axis = sweep.scale() == Sweep.Scale.LOG_WITH_ZERO ? Charts.logAxisWithZero(p, values)
                : Charts.linearAxis(p);
        List<ResultRow> rows = points.stream().flatMap(g -> g.runs().stream()).toList();

        List<String> rd = new ArrayList<>();
        rd.add(Findings.trend("rate (bits per image)", p, means(points, ResultColumn.RATE_BITS)));
        rd.add(Findings.trend("reconstruction PSNR", p, means(points, ResultColumn.AE_PSNR)));
        rd.add(Findings.trend("the share of active latent units", p, means(points, ResultColumn.ACTIVE_FRACTION)));
        List<Figure> rdFigures = new ArrayList<>();
        plot(dir, "rate-distortion.png", Charts.rateDistortion(rows), "Rate against distortion, one point per run.",
                rdFigures);
        plot(dir, "psnr.png", Charts.sweep("Reconstruction PSNR", "PSNR (dB)", axis, points,
                List.of(Charts.Line.of("PSNR", ResultColumn.AE_PSNR)), List.of()),
                "Reconstruction PSNR against " + p + ".", rdFigures);
        plot(dir, "active-units.png", Charts.sweep("Active latent units", "share of units active", axis, points,
                List.of(Charts.Line.of("active units", ResultColumn.ACTIVE_FRACTION)), List.of()),
                "Share of latent units whose posterior mean varies across images, against " + p + ".", rdFigures);
        sections.add(new Section("Rate, distortion and the latent", rd, rdFigures));

        List<String> quality = new ArrayList<>();
        Findings.Spread ldmSpread = spread(points, ResultColumn.LDM_FD);
        for (PointGroup g : points) {
            String agreement = Findings.seedAgreement(diffusion + " FD", g.point(),
                    g.intervals(ResultColumn.LDM_FD, ResultColumn.LDM_FD_LOW, ResultColumn.LDM_FD_HIGH));
            if (!agreement.isEmpty()) {
                quality.add(agreement);
            }
        }
        if (points.size() > 1 && points.stream().allMatch(g -> g.seeds() == 1)) {
            quality.add("Every point was trained with one seed, so the spread between two trainings of one config "
                    + "is not measured here: the differences below rest on the bootstrap intervals, which hold only "
                    + "the noise of drawing the samples.");
        }
        List<Scored> ldm = scored(points, ResultColumn.LDM_FD, ResultColumn.LDM_FD_LOW, ResultColumn.LDM_FD_HIGH);
        if (!diffusion.equals(LDM)) {
            quality.add("Where " + p + " = 1 the UNet denoises pixels and no autoencoder is trained; elsewhere it "
                    + "denoises the autoencoder's latents. \"Diffusion\" below names both.");
        }
        quality.add(Findings.best(diffusion + " FD", p, ldm, ldmSpread));
        List<Scored> prior = scored(points, ResultColumn.VAE_FD, ResultColumn.VAE_FD_LOW, ResultColumn.VAE_FD_HIGH);
        if (!prior.isEmpty()) {
            quality.add(Findings.best("VAE-prior FD", p, prior, spread(points, ResultColumn.VAE_FD)));
        }
        List<Scored> ownPrior = scored(points, ResultColumn.AE_PRIOR_FD, ResultColumn.AE_PRIOR_FD_LOW,
                ResultColumn.AE_PRIOR_FD_HIGH);
        if (!ownPrior.isEmpty()) {
            quality.add(Findings.best("the FD of each autoencoder's own prior", p, ownPrior,
                    spread(points, ResultColumn.AE_PRIOR_FD)));
        }
        List<Charts.Reference> references = new ArrayList<>();
        Interval reference = baseline == null ? null
                : baseline.interval(ResultColumn.VAE_FD, ResultColumn.VAE_FD_LOW, ResultColumn.VAE_FD_HIGH);
        if (reference != null) {
            references.add(new Charts.Reference(baseline.name(), reference));
            if (!ldm.isEmpty()) {
                quality.add(Findings.against(diffusion, new Scored("the prior of the " + baseline.name(), reference), ldm,
                        ldmSpread));
            }
        }
        List<Figure> qFigures = new ArrayList<>();
        plot(dir, "fd.png", Charts.sweep("Sample FD", "FD (lower is better)", axis, points, List.of(
                new Charts.Line(diffusion, ResultColumn.LDM_FD, ResultColumn.LDM_FD_LOW, ResultColumn.LDM_FD_HIGH),
                new Charts.Line(VAE, ResultColumn.VAE_FD, ResultColumn.VAE_FD_LOW, ResultColumn.VAE_FD_HIGH),
                new Charts.Line(OWN_PRIOR, ResultColumn.AE_PRIOR_FD, ResultColumn.AE_PRIOR_FD_LOW,
                        ResultColumn.AE_PRIOR_FD_HIGH)), references),
                "FD against " + p + ", with 95% bootstrap intervals over the samples. Where a point has several "
                        + "seeds, each seed is drawn faintly with its interval, and the thick bar through their mean "
                        + "is their spread (max − min)." + (reference == null ? "" : " The horizontal line is the "
                        + "prior of the " + baseline.name() + ", its 95% interval dashed."), qFigures);
        sections.add(new Section("Sample quality", quality, qFigures));
    }

    private static JsonNode summaryOf(Path runDir) {
        Path summary = new RunLayout(runDir).summaryJson();
        if (!Files.isRegularFile(summary)) {
            throw new InputException(summary + ": no run summary; finish the run before its report");
        }
        JsonNode json = Json.readTree(summary);
        if (!json.isObject()) {
            throw new InputException(summary + ": not a run summary (expected a JSON object)");
        }
        return json;
    }

    /** The geometry of a latent directory's scaled test latents, or null when there are none. */
    private static LatentGeometry latentGeometry(Path dir) {
        if (!LatentSet.isLatentDir(dir) || !Files.isRegularFile(dir.resolve("test.npy"))) {
            return null;
        }
        LatentSet.Header header = LatentSet.readHeader(dir);
        float[] test = LatentSet.readTest(dir, header);
        float scale = (float) header.scaleFactor();
        for (int i = 0; i < test.length; i++) {
            test[i] *= scale;
        }
        return LatentGeometry.of(test, header.elements(), GEOMETRY_SEED);
    }

    private static Section latentSection(Path dir, Map<String, LatentGeometry> geometry, Sweep sweep)
            throws IOException {
        List<String> findings = new ArrayList<>();
        for (Map.Entry<String, LatentGeometry> e : geometry.entrySet()) {
            LatentGeometry g = e.getValue();
            findings.add(String.format(Locale.ROOT, "%s: the scaled latents' excess kurtosis is %s (0 for a Gaussian) "
                    + "and their histogram is %s nats from N(0, 1); the first two principal axes hold %s of their "
                    + "variance.", e.getKey(), Findings.number(g.excessKurtosis()), Findings.number(g.klToNormal()),
                    percent(g.explained()[0] + g.explained()[1])));
        }
        List<Figure> figures = new ArrayList<>();
        plot(dir, "latent-histograms.png", Charts.latentHistograms(geometry), "Histogram of every element of the "
                + "scaled test latents (× the scale factor), against the N(0, 1) density the diffusion starts from.",
                figures);
        for (Map.Entry<String, LatentGeometry> e : geometry.entrySet()) {
            String file = "latent-pca-" + slug(e.getKey()) + ".png";
            plot(dir, file, Charts.latentProjection(e.getKey(), e.getValue()), e.getKey() + ": test latents and as "
                    + "many N(0, I) draws on the latents' first two principal axes.", figures);
        }
        return new Section("The latent space", findings, figures);
    }

    /** Each swept point's mean over its seeds (extras, off the swept axis, are not part of a trend). */
    private static List<Point> means(List<PointGroup> points, ResultColumn column) {
        List<Point> out = new ArrayList<>();
        for (PointGroup g : points) {
            OptionalDouble y = g.mean(column);
            if (g.sweepValue() != null && y.isPresent()) {
                out.add(new Point(g.sweepValue(), y.getAsDouble()));
            }
        }
        return out;
    }

    /** Each point's FD with an interval: the mean over its seeds, or its one run's. */
    private static List<Scored> scored(List<PointGroup> points, ResultColumn fd, ResultColumn low,
            ResultColumn high) {
        List<Scored> out = new ArrayList<>();
        for (PointGroup g : points) {
            Interval i = g.interval(fd, low, high);
            if (i != null) {
                out.add(new Scored(g.seeds() > 1 ? g.point() + " (mean of " + g.seeds() + " seeds)" : g.point(), i));
            }
        }
        return out;
    }

    /** The largest seed spread of a column over the points with several seeds, or null when none has. */
    private static Findings.Spread spread(List<PointGroup> points, ResultColumn column) {
        Findings.Spread widest = null;
        for (PointGroup g : points) {
            OptionalDouble s = g.spread(column);
            if (s.isPresent() && (widest == null || s.getAsDouble() > widest.value())) {
                widest = new Findings.Spread(s.getAsDouble(), g.point(), g.seeds());
            }
        }
        return widest;
    }

    private static void plot(Path dir, String file, XYChart chart, String caption, List<Figure> into)
            throws IOException {
        if (Charts.hasSeries(chart)) {
            Charts.save(chart, dir.resolve(file));
            into.add(new Figure(file, caption));
        }
    }

    /** Copies each run's grids into {@code grids/}, so the report stands alone. */
    private static List<Figure> grids(Path dir, List<ResultRow> rows, String diffusion) throws IOException {
        List<Figure> out = new ArrayList<>();
        for (ResultRow r : rows) {
            RunLayout run = new RunLayout(r.runDir());
            progressGrids(dir, r, run, out);
            copy(dir, r, run.samples().resolve(SampleFiles.GRID), "ldm",
                    (r.pixelSpace() ? "pixel-space diffusion" : diffusion) + " samples", out);
            copy(dir, r, run.baselineSamples().resolve(SampleFiles.GRID), "vae-prior", VAE + " samples", out);
            copy(dir, r, run.eval().resolve("autoencoder_prior").resolve(SampleFiles.GRID), "own-prior",
                    "the compressor's own N(0, I) prior, decoded", out);
            copy(dir, r, run.autoencoder().resolve("reconstructions.png"), "reconstructions",
                    "autoencoder: test images (top) above their reconstructions", out);
            copy(dir, r, run.baselineAutoencoder().resolve("reconstructions.png"), "vae-reconstructions",
                    "pixel-space VAE: test images above their reconstructions", out);
        }
        return out;
    }

    /** The grids the progress points drew during the UNet's training, earliest first. */
    private static void progressGrids(Path dir, ResultRow r, RunLayout run, List<Figure> out) throws IOException {
        Path points = run.diffusion().resolve(ProgressPoints.DIR);
        for (JsonNode p : ProgressPoints.collect(points, null)) {
            long step = p.path("step").asLong();
            copy(dir, r, points.resolve(ProgressPoints.gridDir(step)).resolve(SampleFiles.GRID), "progress-" + step,
                    String.format(Locale.ROOT, "samples at step %d of %d (%d%% of the UNet's training)", step,
                            p.path("total_steps").asLong(), Math.round(100 * p.path("fraction").asDouble())), out);
        }
    }

    private static void copy(Path dir, ResultRow r, Path from, String kind, String caption, List<Figure> out)
            throws IOException {
        if (!Files.isRegularFile(from)) {
            return;
        }
        String file = "grids/" + slug(r.name()) + "-" + kind + ".png";
        Path to = dir.resolve(file);
        Files.createDirectories(to.getParent());
        AtomicFiles.writeBytes(to, Files.readAllBytes(from));
        out.add(new Figure(file, r.name() + ": " + caption, true));
    }

    private static List<Figure> lossCurves(Path dir, List<ResultRow> rows) throws IOException {
        List<Figure> out = new ArrayList<>();
        curves(dir, rows, "loss-autoencoder.png", "Autoencoder training loss", run -> run.autoencoder(), out);
        curves(dir, rows, "loss-diffusion.png", "UNet training loss", run -> run.diffusion(), out);
        curves(dir, rows, "loss-vae.png", "Pixel-space VAE training loss", run -> run.baselineAutoencoder(), out);
        return out;
    }

    private static void curves(Path dir, List<ResultRow> rows, String file, String title,
            Function<RunLayout, Path> stage, List<Figure> out) throws IOException {
        List<TrainingCurve> curves = new ArrayList<>();
        for (ResultRow r : rows) {
            Path log = stage.apply(new RunLayout(r.runDir())).resolve(TrainLog.FILE);
            if (Files.isRegularFile(log)) {
                curves.add(TrainingCurve.read(r.name(), log, "loss"));
            }
        }
        plot(dir, file, Charts.lossCurves(title, curves), title + " against step, as logged.", out);
    }

    private static void describe(ResultRow run, ResultColumn column, String format, List<String> into,
            Function<Double, String> show) {
        OptionalDouble v = run.number(column);
        if (v.isEmpty()) {
            return;
        }
        String text = String.format(Locale.ROOT, format, show.apply(v.getAsDouble()));
        if (Character.isLowerCase(text.charAt(0)) && !into.isEmpty()) {
            String last = into.remove(into.size() - 1);
            into.add(last.substring(0, last.length() - 1) + ", " + text + ".");
        } else {
            into.add(text + ".");
        }
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }

    /** A file-name-safe form of a run's name: ASCII letters, digits, '.', '-' and '_' ("β=1e-4" → "beta_1e-4"). */
    public static String slug(String name) {
        String s = name.replace("β", "beta").replace("τ", "tau").replaceAll("[^A-Za-z0-9._-]+", "_");
        return s.isEmpty() ? "run" : s;
    }
}
