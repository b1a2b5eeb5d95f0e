package ldm4j.pipeline.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One run's line in a report: its name, the swept parameter's value (β, f, a seed) when the run
 * is one point of a sweep, and every {@link ResultColumn} its summary holds.
 *
 * @param name the run's label, e.g. "beta=1e-4"
 * @param sweepValue the swept parameter's value, or null for a run that is not part of a sweep
 * @param runDir the run directory (grids and training logs are read from it)
 * @param values the measured values; a column the run did not measure is absent
 */
public record ResultRow(String name, Double sweepValue, Path runDir, Map<ResultColumn, Object> values) {
    public ResultRow {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(runDir, "runDir");
        values = Collections.unmodifiableMap(new EnumMap<>(values.isEmpty() ? Map.of() : values));
    }

    /** Reads every column's value from a run's parsed {@code summary.json}. */
    public static ResultRow fromSummary(String name, Double sweepValue, Path runDir, JsonNode summary) {
        Map<ResultColumn, Object> values = new EnumMap<>(ResultColumn.class);
        for (ResultColumn c : ResultColumn.values()) {
            JsonNode v = summary.at(c.pointer());
            if (v.isNumber()) {
                if (Double.isFinite(v.asDouble())) { // a NaN stands for "not measured", as a missing value does
                    values.put(c, v.asDouble());
                }
            } else if (v.isTextual()) {
                Object value = c.kind() == ResultColumn.Kind.TEXT ? v.asText() : parseOrText(v.asText());
                if (!(value instanceof Double d) || Double.isFinite(d)) { // Jackson writes NaN as "NaN"
                    values.put(c, value);
                }
            }
        }
        return new ResultRow(name, sweepValue, runDir, values);
    }

    private static Object parseOrText(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return s;
        }
    }

    /**
     * Whether the run's UNet denoised pixels (an f sweep's f = 1): it scored diffusion samples but
     * trained no autoencoder.
     */
    public boolean pixelSpace() {
        return values.containsKey(ResultColumn.LDM_FD) && !values.containsKey(ResultColumn.AE_LOSS);
    }

    /** The column's number, or empty when the run did not measure it. */
    public OptionalDouble number(ResultColumn column) {
        return values.get(column) instanceof Double d && Double.isFinite(d) ? OptionalDouble.of(d) : OptionalDouble.empty();
    }

    /** The FD and its 95% interval in three columns, or null when any of them is missing. */
    public Interval interval(ResultColumn estimate, ResultColumn low, ResultColumn high) {
        OptionalDouble e = number(estimate);
        OptionalDouble l = number(low);
        OptionalDouble h = number(high);
        return e.isPresent() && l.isPresent() && h.isPresent()
                ? new Interval(e.getAsDouble(), l.getAsDouble(), h.getAsDouble()) : null;
    }
}
