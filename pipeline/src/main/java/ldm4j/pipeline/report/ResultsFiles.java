package ldm4j.pipeline.report;

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
 * ResultColumn} (plus the run's name and swept value), empty where a run did not measure it.
 */
public final class ResultsFiles {
    /** The first two columns, before the {@link ResultColumn}s. */
    public static final String RUN = "run";
    public static final String SWEEP_VALUE = "sweep_value";

    private ResultsFiles() {}

    /** Writes both files into {@code dir}, each atomically. */
    public static void write(Path dir, List<ResultRow> rows) throws IOException {
        List<Map<String, Object>> table = table(rows);
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        schema.addColumn(RUN).addColumn(SWEEP_VALUE);
        for (ResultColumn c : ResultColumn.values()) {
            schema.addColumn(c.id());
        }
        String csv = new CsvMapper().writer(schema.build()).writeValueAsString(table);
        AtomicFiles.writeString(dir.resolve("results.csv"), csv);
        Json.write(dir.resolve("results.json"), table);
    }

    /** The rows as ordered maps from column id to value (null where not measured). */
    public static List<Map<String, Object>> table(List<ResultRow> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ResultRow r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(RUN, r.name());
            m.put(SWEEP_VALUE, r.sweepValue());
            for (ResultColumn c : ResultColumn.values()) {
                m.put(c.id(), r.values().get(c));
            }
            out.add(m);
        }
        return out;
    }
}
