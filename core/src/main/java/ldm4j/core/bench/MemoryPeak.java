package ldm4j.core.bench;

import java.util.Objects;

/**
 * The peak resident memory of one span of work (a run's stage, a benchmark section), as {@link
 * ProcessMemory.Window#peak()} read it.
 *
 * @param bytes the peak in bytes
 * @param scope whether it is the span's own peak or the process's peak up to the span's end
 */
public record MemoryPeak(long bytes, Scope scope) {
    /** What a peak covers. */
    public enum Scope {
        /** The span's own peak: the kernel's high-water mark was reset when the span started. */
        OWN,
        /**
         * The process's peak from its start to the span's end: the reset was refused (no writable
         * {@code /proc/self/clear_refs}: not Linux, or a restricted container), so this only bounds
         * the span's own peak from above.
         */
        PROCESS
    }

    /** Validates the fields. */
    public MemoryPeak {
        Objects.requireNonNull(scope, "scope");
        if (bytes < 0) {
            throw new IllegalArgumentException("peak bytes must be >= 0, got " + bytes);
        }
    }

    /** The peak in MiB. */
    public double mib() {
        return bytes / (1024.0 * 1024.0);
    }

    /** The larger of two peaks of the same span, e.g. a stage run in two invocations; OWN only when both are. */
    public MemoryPeak max(MemoryPeak other) {
        Scope s = scope == Scope.OWN && other.scope == Scope.OWN ? Scope.OWN : Scope.PROCESS;
        return new MemoryPeak(Math.max(bytes, other.bytes), s);
    }
}
