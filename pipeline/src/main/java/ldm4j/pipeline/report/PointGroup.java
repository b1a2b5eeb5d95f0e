package ldm4j.pipeline.report;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The runs of one point of a sweep (one swept value, or one extra label), one per seed, and what
 * they measure together: per column the mean over the seeds and their spread, max − min. A point
 * with one seed is its run.
 *
 * <p>The spread is the seeds' range rather than a standard deviation: with the two or three seeds
 * an ablation affords, the range is what the chart can show and a reader can check in the table.
 *
 * @param point the point's name ({@code beta=1e-4}, {@code ldm-l1})
 * @param sweepValue the swept value, or null for an extra point
 * @param shownAt where a plot against the swept parameter shows it, or null for nowhere
 * @param runs its runs, one per seed, in the ablation's order
 */
public record PointGroup(String point, Double sweepValue, Double shownAt, List<ResultRow> runs) {
    public PointGroup {
        Objects.requireNonNull(point, "point");
        runs = List.copyOf(runs);
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("point " + point + " has no run");
        }
    }

    /** The runs grouped by point, in the order each point first appears. */
    static List<PointGroup> of(List<Report.SubRun> subRuns, List<ResultRow> rows) {
        Map<String, List<ResultRow>> byPoint = new LinkedHashMap<>();
        Map<String, Report.SubRun> first = new LinkedHashMap<>();
        for (int i = 0; i < subRuns.size(); i++) {
            Report.SubRun s = subRuns.get(i);
            byPoint.computeIfAbsent(s.point(), k -> new ArrayList<>()).add(rows.get(i));
            first.putIfAbsent(s.point(), s);
        }
        List<PointGroup> out = new ArrayList<>();
        byPoint.forEach((point, runs) -> out.add(new PointGroup(point, first.get(point).sweepValue(),
                first.get(point).shownAt(), runs)));
        return out;
    }

    /** One group per row: every run its own point. */
    static List<PointGroup> each(List<ResultRow> rows) {
        return rows.stream().map(r -> new PointGroup(r.name(), r.sweepValue(), r.sweepValue(), List.of(r))).toList();
    }

    /** How many seeds (runs) the point has. */
    public int seeds() {
        return runs.size();
    }

    /** The mean of the column over the runs that measured it; empty when none did. */
    public OptionalDouble mean(ResultColumn column) {
        return runs.stream().map(r -> r.number(column)).filter(OptionalDouble::isPresent)
                .mapToDouble(OptionalDouble::getAsDouble).average();
    }

    /** The seeds' spread, max − min, over the runs that measured the column; empty with fewer than two. */
    public OptionalDouble spread(ResultColumn column) {
        double[] v = runs.stream().map(r -> r.number(column)).filter(OptionalDouble::isPresent)
                .mapToDouble(OptionalDouble::getAsDouble).toArray();
        if (v.length < 2) {
            return OptionalDouble.empty();
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        return OptionalDouble.of(max - min);
    }

    /** Each run's value with its interval, for the runs that have one. */
    public List<Interval> intervals(ResultColumn value, ResultColumn low, ResultColumn high) {
        return runs.stream().map(r -> r.interval(value, low, high)).filter(Objects::nonNull).toList();
    }

    /**
     * The point's value with a bootstrap interval: the seeds' mean, with the seeds' mean distances to
     * their own interval's ends on either side (one seed: its own interval). This is what one run's
     * interval looks like, placed at the mean; it says nothing of how far the seeds are apart, which
     * is {@link #spread}. Null when no run has the interval.
     */
    public Interval interval(ResultColumn value, ResultColumn low, ResultColumn high) {
        List<Interval> each = intervals(value, low, high);
        if (each.isEmpty()) {
            return null;
        }
        double mean = each.stream().mapToDouble(Interval::value).average().orElseThrow();
        double below = each.stream().mapToDouble(i -> i.value() - i.low()).average().orElseThrow();
        double above = each.stream().mapToDouble(i -> i.high() - i.value()).average().orElseThrow();
        return new Interval(mean, mean - below, mean + above);
    }

    /**
     * The point as one results row: each numeric column's mean over its seeds, a text column where
     * every seed agrees (none otherwise).
     */
    ResultRow meanRow(String name) {
        Map<ResultColumn, Object> values = new EnumMap<>(ResultColumn.class);
        for (ResultColumn c : ResultColumn.values()) {
            OptionalDouble m = mean(c);
            if (m.isPresent()) {
                values.put(c, m.getAsDouble());
            } else if (runs.stream().allMatch(r -> r.values().get(c) instanceof String)
                    && runs.stream().map(r -> r.values().get(c)).distinct().count() == 1) {
                values.put(c, runs.get(0).values().get(c));
            }
        }
        return new ResultRow(name, sweepValue, runs.get(0).runDir(), values);
    }

    /** The point's seed spread (max − min) of every numeric column, as one results row. */
    ResultRow spreadRow(String name) {
        Map<ResultColumn, Object> values = new EnumMap<>(ResultColumn.class);
        for (ResultColumn c : ResultColumn.values()) {
            spread(c).ifPresent(v -> values.put(c, v));
        }
        return new ResultRow(name, sweepValue, runs.get(0).runDir(), values);
    }
}
