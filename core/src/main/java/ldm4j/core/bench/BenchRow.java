package ldm4j.core.bench;

import java.util.Objects;

/**
 * One measured figure of {@code ldm4j bench}: what was timed, on which shapes, the value, and the
 * PyTorch speed floor for the same work (docs/speed-floor.md), when there is one.
 *
 * @param stage the module the work belongs to ({@code autoencoder}, {@code diffusion}, {@code pipeline})
 * @param work what was measured, e.g. "training step"
 * @param shape model and input shapes, e.g. "ch 32, ch_mult [1, 2, 2] · 1×32×32, batch 32"
 * @param value the measurement
 * @param unit its unit, e.g. "img/s" or "s"
 * @param floor the PyTorch figure for the same work, NaN when there is none
 * @param higherIsBetter true for throughputs, false for times and memory growth
 */
public record BenchRow(String stage, String work, String shape, double value, String unit, double floor,
        boolean higherIsBetter) {
    /** Validates the texts. */
    public BenchRow {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(work, "work");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(unit, "unit");
    }

    /** A throughput (higher is better) with a floor. */
    public static BenchRow rate(String stage, String work, String shape, double value, String unit, double floor) {
        return new BenchRow(stage, work, shape, value, unit, floor, true);
    }

    /** A time or a growth (lower is better) with a floor. */
    public static BenchRow cost(String stage, String work, String shape, double value, String unit, double floor) {
        return new BenchRow(stage, work, shape, value, unit, floor, false);
    }

    /**
     * The peak resident memory of one benchmark section, last in its rows: the section's own, or,
     * where the high-water mark could not be reset, the process's so far, which the work says.
     */
    public static BenchRow peak(String stage, MemoryPeak peak) {
        String work = peak.scope() == MemoryPeak.Scope.OWN ? "peak RSS of this section"
                : "peak RSS of the process so far (no writable /proc/self/clear_refs)";
        return new BenchRow(stage, work, "-", peak.mib(), "MiB", Double.NaN, false);
    }

    /** True when there is a floor to compare with. */
    public boolean hasFloor() {
        return !Double.isNaN(floor);
    }

    /**
     * How this figure compares with the floor, as a speed ratio: above 1 is better than the floor
     * (1.20 = 20% faster or cheaper). NaN without a floor.
     */
    public double vsFloor() {
        if (!hasFloor()) {
            return Double.NaN;
        }
        return higherIsBetter ? value / floor : floor / value;
    }
}
