package ldm4j.core.progress;

import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The arithmetic behind a progress report, apart from any clock or output: rate, ETA, when a log
 * line is due, and how it reads. Times are nanoseconds from a caller-supplied clock, so tests can
 * drive it with a fake one.
 *
 * <p>A log line is due when the step enters a new tenth of the total, or when {@code interval}
 * has passed since the last line, whichever comes first, so a CI log gets about ten lines for a
 * fast loop and a heartbeat for a slow one.
 */
public final class ProgressMeter {
    private final String task;
    private final long total;
    private final long initialStep;
    private final long startNanos;
    private final long intervalNanos;
    private long step;
    private long lastLineNanos;
    private long lastTenth;

    /**
     * @param task name shown at the start of each line, e.g. "train autoencoder"
     * @param total the step count at the end; ≤ 0 when unknown (then no percentage or ETA)
     * @param initialStep the step to start from (non-zero when resuming); the rate counts from it
     * @param startNanos the clock at the start
     * @param intervalNanos the longest wait between two lines
     */
    public ProgressMeter(String task, long total, long initialStep, long startNanos, long intervalNanos) {
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("interval must be > 0, got " + intervalNanos);
        }
        this.task = task;
        this.total = total;
        this.initialStep = initialStep;
        this.startNanos = startNanos;
        this.intervalNanos = intervalNanos;
        this.step = initialStep;
        this.lastLineNanos = startNanos;
        this.lastTenth = tenth(initialStep);
    }

    /** The current step. */
    public long step() {
        return step;
    }

    /** The total, ≤ 0 when unknown. */
    public long total() {
        return total;
    }

    /** Moves to {@code newStep} (never backwards). */
    public void stepTo(long newStep) {
        step = Math.max(step, newStep);
    }

    /** Steps per second since the start (or resume), 0 before any step or time has passed. */
    public double rate(long nowNanos) {
        long elapsed = nowNanos - startNanos;
        long done = step - initialStep;
        return elapsed <= 0 || done <= 0 ? 0 : done * 1e9 / elapsed;
    }

    /** Seconds left at the current rate; negative when unknown (no total, or no rate yet). */
    public double etaSeconds(long nowNanos) {
        double r = rate(nowNanos);
        if (total <= 0 || r <= 0) {
            return -1;
        }
        return Math.max(0, total - step) / r;
    }

    /**
     * True if a log line is due at {@code nowNanos}: the step entered a new tenth of the total, or
     * the interval has passed. Marks the line as emitted when true.
     */
    public boolean lineDue(long nowNanos) {
        long t = tenth(step);
        boolean due = t > lastTenth || nowNanos - lastLineNanos >= intervalNanos;
        if (due) {
            lastTenth = t;
            lastLineNanos = nowNanos;
        }
        return due;
    }

    /** E.g. "train 1200/10000 (12%) 3.42 it/s ETA 43:08 loss=0.03120". */
    public String line(long nowNanos, Map<String, Double> stats) {
        StringBuilder sb = new StringBuilder(task).append(' ').append(step);
        if (total > 0) {
            sb.append('/').append(total).append(" (").append(step * 100 / total).append("%)");
        }
        sb.append(' ').append(formatRate(rate(nowNanos)));
        if (total > 0) {
            double eta = etaSeconds(nowNanos);
            sb.append(" ETA ").append(eta < 0 ? "?" : formatDuration(Math.round(eta)));
        }
        String s = formatStats(stats);
        if (!s.isEmpty()) {
            sb.append(' ').append(s);
        }
        return sb.toString();
    }

    /** E.g. "train done: 10000 steps in 48:51 (3.41 it/s)" or "train stopped at 5000/10000 after 24:10 (...)". */
    public String summary(long nowNanos) {
        long secs = Math.round((nowNanos - startNanos) / 1e9);
        String head = total > 0 && step < total
                ? task + " stopped at " + step + "/" + total + " after "
                : task + " done: " + (step - initialStep) + " steps in ";
        return head + formatDuration(secs) + " (" + formatRate(rate(nowNanos)) + ")";
    }

    /** "it/s" for fast loops, "s/it" once a step takes more than a second. */
    public static String formatRate(double perSecond) {
        if (perSecond <= 0) {
            return "? it/s";
        }
        return perSecond >= 1
                ? String.format(Locale.ROOT, "%.2f it/s", perSecond)
                : String.format(Locale.ROOT, "%.2f s/it", 1 / perSecond);
    }

    /** "mm:ss" under an hour, "h:mm:ss" above. */
    public static String formatDuration(long seconds) {
        long s = Math.max(0, seconds);
        long h = s / 3600;
        long m = s / 60 % 60;
        return h > 0
                ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s % 60)
                : String.format(Locale.ROOT, "%02d:%02d", m, s % 60);
    }

    /** "loss=0.03120 lr=1.000e-04", four significant digits, in the map's order. */
    public static String formatStats(Map<String, Double> stats) {
        StringJoiner j = new StringJoiner(" ");
        stats.forEach((k, v) -> j.add(k + "=" + (v == null ? "?" : String.format(Locale.ROOT, "%.4g", v))));
        return j.toString();
    }

    private long tenth(long s) {
        return total > 0 ? Math.min(10, s * 10 / total) : 0;
    }
}
