package ldm4j.core.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Resident memory of this process, native allocations included, as the kernel reports it in
 * {@code /proc/self/status}. The JVM's own heap counters miss libtorch's memory, which is what
 * leaks when an NDArray outlives its step.
 *
 * <p>A {@link Window} measures one span of work's own peak: it resets the kernel's high-water mark
 * (VmHWM) at the start by writing {@code 5} to {@code /proc/self/clear_refs} (Linux ≥ 4.0,
 * Documentation/filesystems/proc.rst) and reads VmHWM at the end. The reset loses the process's
 * peak from the kernel's counter, so the value read just before each reset is kept here:
 * {@link #peakRssBytes()} stays the peak since the process started.
 */
public final class ProcessMemory {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");
    private static final String HWM = "VmHWM:";

    /** VmHWM read just before each successful reset, in order; guarded by the class lock. */
    private static final List<Long> PEAKS_BEFORE_RESETS = new ArrayList<>();

    private ProcessMemory() {}

    /** Current resident set size in bytes (VmRSS), or -1 where /proc is not available. */
    public static long rssBytes() {
        return field(STATUS, "VmRSS:");
    }

    /**
     * Peak resident set size of the process since it started, in bytes, or -1 where /proc is not
     * available: the kernel's VmHWM, or a higher one it had before a {@link Window} reset it.
     */
    public static synchronized long peakRssBytes() {
        long now = field(STATUS, HWM);
        return now < 0 ? -1 : Math.max(now, maxFrom(0));
    }

    /** Bytes as MiB with one decimal, for reports. */
    public static String mib(long bytes) {
        return bytes < 0 ? "n/a" : String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    /**
     * Starts measuring the peak of the work that follows: resets the kernel's high-water mark to the
     * current resident size where the kernel lets this process, so {@link Window#peak()} is that
     * work's own peak; where it does not, the window reports the process's peak so far. Never throws.
     */
    public static Window startWindow() {
        return startWindow(STATUS, CLEAR_REFS);
    }

    /** {@link #startWindow()} with other files, so tests can stand in for a system without /proc. */
    static synchronized Window startWindow(Path status, Path clearRefs) {
        long before = field(status, HWM);
        // A peak between this read and the reset is lost: a few microseconds, no allocation of ours.
        boolean reset = before >= 0 && resetHighWaterMark(clearRefs);
        if (reset) {
            PEAKS_BEFORE_RESETS.add(before);
        }
        return new Window(status, reset, PEAKS_BEFORE_RESETS.size());
    }

    /**
     * A span of work whose peak resident memory is being measured, from {@link #startWindow()}.
     * Windows may nest: a window started inside another one resets the kernel's counter, and the
     * outer window still counts what the inner reset forgot.
     */
    public static final class Window {
        private final Path status;
        private final boolean reset;
        private final int resetsAtStart;

        private Window(Path status, boolean reset, int resetsAtStart) {
            this.status = status;
            this.reset = reset;
            this.resetsAtStart = resetsAtStart;
        }

        /** True when the high-water mark was reset at the start, so {@link #peak()} is the span's own. */
        public boolean ownPeak() {
            return reset;
        }

        /**
         * The peak so far: the span's own ({@link MemoryPeak.Scope#OWN}) when the reset worked, else
         * the process's ({@link MemoryPeak.Scope#PROCESS}); empty where /proc is not available.
         */
        public Optional<MemoryPeak> peak() {
            synchronized (ProcessMemory.class) {
                long now = field(status, HWM);
                if (now < 0) {
                    return Optional.empty();
                }
                long peak = Math.max(now, maxFrom(reset ? resetsAtStart : 0));
                return Optional.of(new MemoryPeak(peak, reset ? MemoryPeak.Scope.OWN : MemoryPeak.Scope.PROCESS));
            }
        }
    }

    /** The highest VmHWM forgotten by the resets from index {@code first} on, 0 when none. */
    private static long maxFrom(int first) {
        long max = 0;
        for (int i = first; i < PEAKS_BEFORE_RESETS.size(); i++) {
            max = Math.max(max, PEAKS_BEFORE_RESETS.get(i));
        }
        return max;
    }

    /** Writes "5" to clear_refs, which sets VmHWM to the current VmRSS; false when refused. */
    private static boolean resetHighWaterMark(Path clearRefs) {
        try {
            // WRITE alone: the file must exist (no CREATE), and procfs files cannot be truncated.
            Files.write(clearRefs, "5".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE);
            return true;
        } catch (IOException | RuntimeException e) {
            return false; // not Linux, an old kernel, or a container with a read-only /proc
        }
    }

    private static long field(Path status, String name) {
        try {
            List<String> lines = Files.readAllLines(status);
            for (String line : lines) {
                if (line.startsWith(name)) {
                    String[] parts = line.substring(name.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024L; // the kernel reports kB
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
