package ldm4j.pipeline.report;

import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ldm4j.core.io.AtomicFiles;
import ldm4j.core.io.Json;

/**
 * {@code results.csv} and {@code results.json}: one row per run, one column per {@link
 * ResultColumn} (plus the run's name, swept value, point and kind of row), empty where a run did
 * not measure it.
 *
 * <p>A point with several seeds adds two aggregate rows after the runs, told apart by {@value #KIND}:
 * {@code mean} (each column's mean over the seeds) and {@code spread} (max − min over the seeds).
 * They are rows, not extra columns, so every column means the same thing in every row (a script
 * that plots {@code ldm_fd} reads the means from the same column), the runs' rows are unchanged, and
 * the file does not grow two columns per metric; a reader wanting only the runs keeps {@code kind =
 * run}. An ablation's shared baseline is one more row, of kind {@code baseline}.
 */
public final class ResultsFiles {
    /** The first two columns, before the {@link ResultColumn}s. */
    public static final String RUN = "run";
    public static final String SWEEP_VALUE = "sweep_value";
    /** The point a row belongs to: the sub-run's name without its {@code _seed=N}. */
    public static final String POINT = "point";
    /** What a row is: {@code run}, {@code mean}, {@code spread} or {@code baseline}. */
    public static final String KIND = "kind";
    public static final String RUN_ROW = "run";
    public static final String MEAN_ROW = "mean";
    public static final String SPREAD_ROW = "spread";
    public static final String BASELINE_ROW = "baseline";

    private ResultsFiles() {}

    /** Writes both files into {@code dir}, each atomically: one row per run, each its own point. */
    public static void write(Path dir, List<ResultRow> rows) throws IOException {
        write(dir, PointGroup.each(rows), null);
    }

    /**
     * Writes both files into {@code dir}, each atomically: every point's runs, then the mean and
     * spread rows of each point with several seeds, then the baseline.
     *
     * @param baseline the shared baseline's row, or null
     */
    public static void write(Path dir, List<PointGroup> points, ResultRow baseline) throws IOException {
        List<Map<String, Object>> table = table(points, baseline);
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        schema.addColumn(RUN).addColumn(SWEEP_VALUE).addColumn(POINT).addColumn(KIND);
        for (ResultColumn c : ResultColumn.values()) {
            schema.addColumn(c.id());
        }
        // Jackson quotes every string longer than 24 characters unless told to check: a header such as
        // unet_train_images_per_second would come out quoted, unlike its neighbours.
        String csv = CsvMapper.builder().enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build()
                .writer(schema.build()).writeValueAsString(table);
        AtomicFiles.writeString(dir.resolve("results.csv"), csv);
        Json.write(dir.resolve("results.json"), table);
    }

    /** The rows as ordered maps from column id to value (null where not measured). */
    public static List<Map<String, Object>> table(List<ResultRow> rows) {
        return table(PointGroup.each(rows), null);
    }

    /** The rows {@link #write(Path, List, ResultRow)} writes, as ordered maps from column id to value. */
    public static List<Map<String, Object>> table(List<PointGroup> points, ResultRow baseline) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (PointGroup p : points) {
            for (ResultRow r : p.runs()) {
                out.add(row(r, p.point(), RUN_ROW));
            }
        }
        for (PointGroup p : points) {
            if (p.seeds() > 1) {
                out.add(row(p.meanRow(p.point() + ": mean of " + p.seeds() + " seeds"), p.point(), MEAN_ROW));
                out.add(row(p.spreadRow(p.point() + ": seeds' spread (max − min)"), p.point(), SPREAD_ROW));
            }
        }
        if (baseline != null) {
            out.add(row(baseline, baseline.name(), BASELINE_ROW));
        }
        return out;
    }

    private static Map<String, Object> row(ResultRow r, String point, String kind) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(RUN, r.name());
        m.put(SWEEP_VALUE, r.sweepValue());
        m.put(POINT, point);
        m.put(KIND, kind);
        for (ResultColumn c : ResultColumn.values()) {
            m.put(c.id(), r.values().get(c));
        }
        return m;
    }
}
