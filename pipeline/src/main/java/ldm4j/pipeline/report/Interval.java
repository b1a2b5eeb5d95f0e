package ldm4j.pipeline.report;

/**
 * A measured value with its 95% interval, e.g. FD and its bootstrap interval. Two values differ
 * only when their intervals do not overlap; that is the only case a report's text claims a
 * difference.
 *
 * @param value the point estimate
 * @param low the interval's lower end
 * @param high the interval's upper end
 */
public record Interval(double value, double low, double high) {
    public Interval {
        if (!(low <= high)) {
            throw new IllegalArgumentException("interval " + low + "–" + high + " is empty");
        }
    }

    /** True when the two intervals share no point. */
    public boolean disjointFrom(Interval other) {
        return high < other.low || other.high < low;
    }
}
