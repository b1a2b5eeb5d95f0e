package ldm4j.core.progress;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports progress of a long loop: a live bar (step/total, it/s, ETA, loss) on a terminal, plain
 * periodic log lines elsewhere (CI, redirected output), where a bar would fill the log with
 * carriage returns.
 *
 * <pre>
 * try (Progress p = Progress.start("train autoencoder", steps)) {
 *     for (...) { ...; p.update(step, Map.of("loss", loss)); }
 * }
 * </pre>
 *
 * <p>The choice: a bar when {@code System.console() != null} and the {@code CI} environment
 * variable is unset; {@code -Dldm4j.progress=bar|log} forces either.
 */
public final class Progress implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Progress.class);

    /** The longest wait between two log lines. */
    static final Duration LOG_INTERVAL = Duration.ofSeconds(30);

    private final ProgressBar bar; // null when logging
    private final ProgressMeter meter; // null when showing a bar
    private final LongSupplier clock;
    private final Consumer<String> sink;
    private final Map<String, Double> stats = new LinkedHashMap<>();
    private String extra = "";
    private boolean closed;

    private Progress(ProgressBar bar, ProgressMeter meter, LongSupplier clock, Consumer<String> sink) {
        this.bar = bar;
        this.meter = meter;
        this.clock = clock;
        this.sink = sink;
    }

    /** Starts reporting {@code task} from step 0 to {@code total}. */
    public static Progress start(String task, long total) {
        return start(task, total, 0);
    }

    /** Starts reporting {@code task} from {@code initialStep} (when resuming) to {@code total}. */
    public static Progress start(String task, long total, long initialStep) {
        if (useBar()) {
            ProgressBar bar = new ProgressBarBuilder()
                    .setTaskName(task)
                    .setInitialMax(total)
                    .startsFrom(initialStep, Duration.ZERO)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUnit(" it", 1)
                    .showSpeed()
                    .setSpeedUnit(ChronoUnit.SECONDS)
                    .setUpdateIntervalMillis(250)
                    .build();
            return new Progress(bar, null, System::nanoTime, null);
        }
        return logging(task, total, initialStep, System::nanoTime, LOG_INTERVAL, LOG::info);
    }

    /** A log-line reporter with its own clock and output, for tests and for callers with their own log. */
    public static Progress logging(String task, long total, long initialStep, LongSupplier clock, Duration interval,
            Consumer<String> sink) {
        ProgressMeter meter = new ProgressMeter(task, total, initialStep, clock.getAsLong(), interval.toNanos());
        return new Progress(null, meter, clock, sink);
    }

    /** Whether {@link #start} would show a live bar in this process. */
    public static boolean useBar() {
        String forced = System.getProperty("ldm4j.progress", "");
        if (forced.equals("bar") || forced.equals("log")) {
            return forced.equals("bar");
        }
        return System.console() != null && System.getenv("CI") == null;
    }

    /** Advances one step. */
    public void step() {
        stepBy(1);
    }

    /** Advances {@code n} steps. */
    public void stepBy(long n) {
        stepTo(current() + n);
    }

    /** Moves to absolute step {@code step}. */
    public void stepTo(long step) {
        if (bar != null) {
            bar.stepTo(step);
        } else {
            meter.stepTo(step);
            if (meter.lineDue(clock.getAsLong())) {
                sink.accept(lineNow());
            }
        }
    }

    /** Sets free text shown after the numbers, e.g. "epoch 3". */
    public void setExtra(String text) {
        extra = text == null ? "" : text;
        refreshExtra();
    }

    /** Moves to {@code step} and shows {@code stats} (e.g. loss), four significant digits each. */
    public void update(long step, Map<String, Double> newStats) {
        stats.clear();
        stats.putAll(newStats);
        refreshExtra();
        stepTo(step);
    }

    /** The current step. */
    public long current() {
        return bar != null ? bar.getCurrent() : meter.step();
    }

    /** Ends the bar, or logs a closing summary line. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (bar != null) {
            bar.close();
        } else {
            sink.accept(meter.summary(clock.getAsLong()) + tail());
        }
    }

    private void refreshExtra() {
        if (bar != null) {
            bar.setExtraMessage(tail()); // the bar glues it to the speed, so keep the leading space
        }
    }

    private String lineNow() {
        return meter.line(clock.getAsLong(), stats) + (extra.isEmpty() ? "" : " " + extra);
    }

    private String tail() {
        String s = ProgressMeter.formatStats(stats);
        String t = (s + " " + extra).strip();
        return t.isEmpty() ? "" : " " + t;
    }
}
