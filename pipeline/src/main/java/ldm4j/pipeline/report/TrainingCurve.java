package ldm4j.pipeline.report;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.DoubleStream;
import ldm4j.core.InputException;

/**
 * One column of a training log ({@code train-log.csv}, written by the trainers) against step.
 *
 * @param name the curve's label in a legend
 * @param steps the logged steps, in order
 * @param values the column's value at each step
 */
public record TrainingCurve(String name, double[] steps, double[] values) {
    public TrainingCurve {
        if (steps.length != values.length) {
            throw new IllegalArgumentException(steps.length + " steps for " + values.length + " values");
        }
    }

    /**
     * Reads {@code column} from a training log; rows where it is empty (evaluation-only columns
     * are blank on most rows) are left out.
     *
     * @throws InputException when the file is unreadable or has no such column
     */
    public static TrainingCurve read(String name, Path log, String column) {
        CsvSchema header = CsvSchema.emptySchema().withHeader();
        DoubleStream.Builder steps = DoubleStream.builder();
        DoubleStream.Builder values = DoubleStream.builder();
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerFor(Map.class).with(header)
                .readValues(Files.newBufferedReader(log))) {
            while (it.hasNext()) {
                Map<String, String> row = it.next();
                if (!row.containsKey(column)) {
                    throw new InputException(log + ": no column '" + column + "' in the training log");
                }
                String v = row.get(column);
                if (v != null && !v.isBlank()) {
                    steps.add(Double.parseDouble(row.get("step")));
                    values.add(Double.parseDouble(v));
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof InputException ie) {
                throw ie;
            }
            throw new InputException(log + ": not a readable training log (" + e.getMessage() + ")", e);
        }
        return new TrainingCurve(name, steps.build().toArray(), values.build().toArray());
    }
}
