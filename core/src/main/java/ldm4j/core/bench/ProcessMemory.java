package ldm4j.core.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Resident memory of this process, native allocations included, as the kernel reports it in
 * {@code /proc/self/status}. The JVM's own heap counters miss libtorch's memory, which is what
 * leaks when an NDArray outlives its step.
 */
public final class ProcessMemory {
    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMemory() {}

    /** Current resident set size in bytes (VmRSS), or -1 where /proc is not available. */
    public static long rssBytes() {
        return field("VmRSS:");
    }

    /** Peak resident set size in bytes (VmHWM), or -1 where /proc is not available. */
    public static long peakRssBytes() {
        return field("VmHWM:");
    }

    /** Bytes as MiB with one decimal, for reports. */
    public static String mib(long bytes) {
        return bytes < 0 ? "n/a" : String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    private static long field(String name) {
        try {
            List<String> lines = Files.readAllLines(STATUS);
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
