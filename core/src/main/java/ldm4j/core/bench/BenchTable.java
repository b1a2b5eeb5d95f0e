package ldm4j.core.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import ldm4j.core.engine.EngineSetup;

/** The one table {@code ldm4j bench} prints: a row per figure, its floor, and how it compares. */
public final class BenchTable {
    private static final String[] HEADER = {"stage", "work", "shape", "measured", "floor", "vs floor"};

    private BenchTable() {}

    /** {@link #format(List, int, long)} with this process's thread count and peak resident memory. */
    public static String format(List<BenchRow> rows) {
        return format(rows, EngineSetup.threads(), ProcessMemory.peakRssBytes());
    }

    /**
     * Formats {@code rows} as an aligned plain-text table, then a line with the thread count and the
     * process's peak resident memory.
     *
     * @param rows the figures, in the order to print
     * @param threads libtorch intra-op threads the figures were measured with
     * @param peakRssBytes peak resident memory of the process, or a negative number when unknown
     */
    public static String format(List<BenchRow> rows, int threads, long peakRssBytes) {
        List<String[]> cells = new ArrayList<>();
        cells.add(HEADER);
        for (BenchRow r : rows) {
            cells.add(new String[] {r.stage(), r.work(), r.shape(), number(r.value()) + " " + r.unit(),
                r.hasFloor() ? number(r.floor()) + " " + r.unit() : "-",
                r.hasFloor() ? String.format(Locale.ROOT, "%.2f×", r.vsFloor()) : "-"});
        }
        int[] width = new int[HEADER.length];
        for (String[] row : cells) {
            for (int c = 0; c < row.length; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] row : cells) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.length; c++) {
                // Numbers right-aligned, texts left-aligned.
                String fmt = c >= 3 ? "%" + width[c] + "s" : "%-" + width[c] + "s";
                line.append(String.format(Locale.ROOT, fmt, row[c])).append(c + 1 < row.length ? "  " : "");
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        sb.append(String.format(Locale.ROOT, "threads %d, peak RSS %s; vs floor above 1 is faster than "
                + "PyTorch (the speed floor in docs/speed-floor.md)%n", threads, peakRssBytes < 0 ? "unknown"
                : ProcessMemory.mib(peakRssBytes)));
        return sb.toString();
    }

    /** Three significant figures, without an exponent for the ranges bench prints. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
