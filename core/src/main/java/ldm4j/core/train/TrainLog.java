package ldm4j.core.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ldm4j.core.InputException;
import ldm4j.core.io.AtomicFiles;
import ldm4j.core.io.InputFiles;

/**
 * A training log as CSV ({@code train-log.csv}): a header of fixed columns, then one row per logged
 * step, flushed as it is written so a killed run keeps its curve.
 *
 * <p>On resume from step k the rows after k (logged after the checkpoint the run resumes from) are
 * dropped first, so the resumed curve continues the old one without a duplicated stretch.
 */
public final class TrainLog implements AutoCloseable {
    /** The log's name in a trainer's output directory. */
    public static final String FILE = "train-log.csv";

    private final Path file;
    private final List<String> columns;
    private final BufferedWriter out;

    private TrainLog(Path file, List<String> columns, BufferedWriter out) {
        this.file = file;
        this.columns = columns;
        this.out = out;
    }

    /**
     * Opens {@code file} for a run that starts at {@code resumeStep} (0 for a fresh run, which
     * replaces any old log). The first column is always {@code step}.
     */
    public static TrainLog open(Path file, List<String> columns, long resumeStep) throws IOException {
        try {
            return openOrThrow(file, columns, resumeStep);
        } catch (IOException e) {
            if (InputFiles.isPathFault(e) || Files.isDirectory(file)) {
                throw InputFiles.fault(file, e, "the run's CSV training log (a regular file)");
            }
            throw e;
        }
    }

    private static TrainLog openOrThrow(Path file, List<String> columns, long resumeStep) throws IOException {
        List<String> cols = new ArrayList<>();
        cols.add("step");
        cols.addAll(columns);
        String header = String.join(",", cols);
        List<String> kept = new ArrayList<>();
        kept.add(header);
        if (resumeStep > 0 && Files.exists(file)) {
            List<String> old = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<String> oldCols = old.isEmpty() ? List.of() : List.of(old.get(0).split(",", -1));
            // A log from an older version may lack columns added since at the end: its rows keep
            // their values and leave the new columns empty.
            if (oldCols.size() > cols.size() || !cols.subList(0, oldCols.size()).equals(oldCols)
                    || oldCols.isEmpty()) {
                throw InputException.inFile(file, "log columns differ from this run's (" + header
                        + "); was the checkpoint made by another kind of run?");
            }
            String padding = ",".repeat(cols.size() - oldCols.size());
            for (String row : old.subList(1, old.size())) {
                int comma = row.indexOf(',');
                String first = comma < 0 ? row : row.substring(0, comma);
                try {
                    if (Long.parseLong(first) <= resumeStep) {
                        kept.add(row + padding);
                    }
                } catch (NumberFormatException e) {
                    break; // a row cut short by a kill: everything after it is gone too
                }
            }
        }
        AtomicFiles.writeString(file, String.join("\n", kept) + "\n");
        BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        return new TrainLog(file, List.copyOf(cols), out);
    }

    /** Appends one row; columns missing from {@code values} are left empty. Unknown keys are an error. */
    public void row(long step, Map<String, ? extends Number> values) throws IOException {
        for (String k : values.keySet()) {
            if (!columns.contains(k)) {
                throw new IllegalArgumentException("column " + k + " is not in " + file.getFileName() + ": " + columns);
            }
        }
        StringBuilder sb = new StringBuilder(Long.toString(step));
        for (String c : columns.subList(1, columns.size())) {
            sb.append(',');
            Number v = values.get(c);
            if (v != null) {
                sb.append(v instanceof Double || v instanceof Float
                        ? String.format(Locale.ROOT, "%.6g", v.doubleValue())
                        : v.toString());
            }
        }
        out.write(sb.toString());
        out.newLine();
        out.flush();
    }

    /** The CSV file. */
    public Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
