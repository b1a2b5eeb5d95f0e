package ldm4j.pipeline.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * The sentences of a report, generated from the measured values. Each method states only what its
 * numbers show: a difference between two FDs is claimed only when their 95% intervals do not
 * overlap and, where several seeds measured the run-to-run spread, the gap is larger than that
 * spread too; a trend is called monotonic only when every step moves the same way.
 */
public final class Findings {
    private Findings() {}

    /** A value of the swept parameter with the metric measured there. */
    public record Point(double x, double y) {}

    /** A labelled FD with its interval. */
    public record Scored(String name, Interval fd) {}

    /**
     * How far runs that differ only in their seed land apart: the largest max − min of a metric over
     * the seeds of one point.
     *
     * @param value the spread, in the metric's units
     * @param point where it was measured
     * @param seeds how many seeds that point has
     */
    public record Spread(double value, String point, int seeds) {}

    /**
     * True when two values differ by more than both kinds of noise: their 95% intervals do not
     * overlap, and the gap is larger than the seed spread (when one was measured; null for none).
     */
    public static boolean differ(Interval a, Interval b, Spread seeds) {
        return a.disjointFrom(b) && (seeds == null || Math.abs(a.value() - b.value()) > seeds.value());
    }

    /**
     * What the seeds of one point say about the noise: their values' range, and whether they
     * disagree more than their bootstrap intervals suggest (two seeds whose intervals do not overlap).
     */
    public static String seedAgreement(String what, String point, List<Interval> seeds) {
        if (seeds.size() < 2) {
            return "";
        }
        double min = seeds.stream().mapToDouble(Interval::value).min().orElseThrow();
        double max = seeds.stream().mapToDouble(Interval::value).max().orElseThrow();
        double width = seeds.stream().mapToDouble(i -> i.high() - i.low()).average().orElseThrow();
        boolean disjoint = false;
        for (int i = 0; i < seeds.size(); i++) {
            for (int j = i + 1; j < seeds.size(); j++) {
                disjoint |= seeds.get(i).disjointFrom(seeds.get(j));
            }
        }
        String head = "At " + point + ", " + seeds.size() + " seeds give " + what + " from " + number(min) + " to "
                + number(max) + " (a spread of " + number(max - min) + "; one run's 95% interval is "
                + number(width) + " wide on average). ";
        return head + (disjoint
                ? "The seeds disagree more than the bootstrap intervals suggest (two of their intervals do not "
                        + "overlap): retraining moves " + what + " further than resampling does, so a gap is claimed "
                        + "below only where it is larger than this spread too."
                : "Every two of their intervals overlap: the seeds agree within what the bootstrap intervals allow.");
    }

    /**
     * How {@code metric} moves as {@code parameter} grows: monotonic falls and rises are named as
     * such, anything else is called not monotonic and the values are listed.
     */
    public static String trend(String metric, String parameter, List<Point> points) {
        List<Point> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.comparingDouble(Point::x));
        if (sorted.isEmpty()) {
            return "No run measured " + metric + ".";
        }
        Point first = sorted.get(0);
        Point last = sorted.get(sorted.size() - 1);
        if (sorted.size() == 1) {
            return capitalised(metric) + " is " + number(first.y()) + " at " + parameter + " = " + number(first.x())
                    + "; one point shows no trend.";
        }
        boolean falls = true;
        boolean rises = true;
        boolean flat = true;
        boolean neverRises = true;
        boolean neverFalls = true;
        for (int i = 1; i < sorted.size(); i++) {
            double d = sorted.get(i).y() - sorted.get(i - 1).y();
            falls &= d < 0;
            rises &= d > 0;
            flat &= d == 0;
            neverRises &= d <= 0;
            neverFalls &= d >= 0;
        }
        String span = "from " + number(first.y()) + " at " + parameter + " = " + number(first.x()) + " to "
                + number(last.y()) + " at " + parameter + " = " + number(last.x());
        if (falls) {
            return capitalised(metric) + " falls monotonically as " + parameter + " grows, " + span + ".";
        }
        if (rises) {
            return capitalised(metric) + " rises monotonically as " + parameter + " grows, " + span + ".";
        }
        if (flat) {
            return capitalised(metric) + " is " + number(first.y()) + " at every " + parameter + ".";
        }
        StringJoiner values = new StringJoiner(", ");
        for (Point p : sorted) {
            values.add(number(p.y()) + " at " + number(p.x()));
        }
        // Ties are not a trend either way: say what happens, not "monotonically".
        if (neverRises) {
            return capitalised(metric) + " never rises as " + parameter + " grows, but it does not fall at every step: "
                    + values + ".";
        }
        if (neverFalls) {
            return capitalised(metric) + " never falls as " + parameter + " grows, but it does not rise at every step: "
                    + values + ".";
        }
        return capitalised(metric) + " does not move monotonically with " + parameter + ": " + values + ".";
    }

    /**
     * Two sample sets' FDs: which is closer to the data when the intervals are disjoint, and an
     * explicit "no difference shown" when they overlap.
     */
    public static String compare(Scored a, Scored b) {
        String both = capitalised(a.name()) + " scores FD " + withInterval(a.fd()) + ", " + b.name() + " " + withInterval(b.fd());
        if (!a.fd().disjointFrom(b.fd())) {
            return both + ". The intervals overlap, so these samples show no difference in FD between them.";
        }
        Scored better = a.fd().value() < b.fd().value() ? a : b;
        Scored worse = better == a ? b : a;
        return both + ". The intervals do not overlap: " + better.name() + " is closer to the data, by a factor of "
                + String.format(Locale.ROOT, "%.1f", worse.fd().value() / Math.max(better.fd().value(), 1e-12))
                + " in FD.";
    }

    /**
     * The sweep's best FD and which other points it beats: only those whose interval lies wholly
     * above the best one's are called worse; the rest are named as indistinguishable.
     */
    public static String best(String what, String parameter, List<Scored> scored) {
        return best(what, parameter, scored, null);
    }

    /**
     * {@link #best(String, String, List)} where runs of one point with different seeds measured the
     * run-to-run spread: a point is called worse only when its interval lies wholly above the best
     * one's and the gap is larger than {@code seeds}' spread; one whose interval is clear but whose
     * gap is within the spread is named as such.
     *
     * @param seeds the seed spread of the metric, or null when no point had several seeds
     */
    public static String best(String what, String parameter, List<Scored> scored, Spread seeds) {
        if (scored.isEmpty()) {
            return "No run scored " + what + ".";
        }
        Scored best = scored.stream().min(Comparator.comparingDouble(s -> s.fd().value())).orElseThrow();
        StringJoiner worse = new StringJoiner(", ");
        StringJoiner tied = new StringJoiner(", ");
        StringJoiner withinSpread = new StringJoiner(", ");
        for (Scored s : scored) {
            if (s == best) {
                continue;
            }
            if (!s.fd().disjointFrom(best.fd())) {
                tied.add(s.name());
            } else {
                (differ(s.fd(), best.fd(), seeds) ? worse : withinSpread).add(s.name());
            }
        }
        StringBuilder out = new StringBuilder(capitalised(what)).append(" is lowest at ").append(best.name())
                .append(": ").append(withInterval(best.fd())).append('.');
        if (worse.length() > 0) {
            out.append(" It is measurably lower than at ").append(worse).append(seeds == null ? " (intervals disjoint)."
                    : " (intervals disjoint, and each gap larger than the seed spread of " + number(seeds.value())
                            + " at " + seeds.point() + ").");
        }
        if (tied.length() > 0) {
            out.append(" Its interval overlaps ").append(tied).append("'s, so no difference is claimed there.");
        }
        if (withinSpread.length() > 0) {
            out.append(" The intervals of ").append(withinSpread).append(" are disjoint from it, but the gap is within "
                    + "the seed spread of ").append(number(seeds.value())).append(" at ").append(seeds.point())
                    .append(", so no difference is claimed there either.");
        }
        return out.toString();
    }

    /**
     * A reference FD (the shared VAE baseline's prior) against each point's: where {@code what} is
     * closer to the data, where further, and where no difference is claimed ({@link #differ}).
     *
     * @param seeds the seed spread of the points' metric, or null when none was measured
     */
    public static String against(String what, Scored reference, List<Scored> scored, Spread seeds) {
        StringJoiner closer = new StringJoiner(", ");
        StringJoiner further = new StringJoiner(", ");
        StringJoiner none = new StringJoiner(", ");
        for (Scored s : scored) {
            if (!differ(s.fd(), reference.fd(), seeds)) {
                none.add(s.name());
            } else {
                (s.fd().value() < reference.fd().value() ? closer : further).add(s.name());
            }
        }
        StringBuilder out = new StringBuilder(capitalised(reference.name())).append(" scores FD ")
                .append(withInterval(reference.fd())).append('.');
        String rule = seeds == null ? "intervals disjoint" : "intervals disjoint, and the gap larger than the seed "
                + "spread of " + number(seeds.value()) + " at " + seeds.point();
        if (closer.length() > 0) {
            out.append(' ').append(capitalised(what)).append(" is closer to the data than it at ").append(closer)
                    .append(" (").append(rule).append(").");
        }
        if (further.length() > 0) {
            out.append(' ').append(capitalised(what)).append(" is further from the data than it at ").append(further)
                    .append(" (").append(rule).append(").");
        }
        if (none.length() > 0) {
            out.append(" At ").append(none).append(" no difference from it is claimed (").append(seeds == null
                    ? "the intervals overlap" : "the intervals overlap, or the gap is within the seed spread")
                    .append(").");
        }
        return out.toString();
    }

    /**
     * How one run's FD moved over its training, from its first point to its last: a fall or a rise
     * only when the two intervals are disjoint, else an explicit "no change shown".
     *
     * @param run the run's name ("f = 4")
     * @param first its FD at {@code firstPercent}% of the training
     * @param last its FD at {@code lastPercent}%
     */
    public static String overTraining(String run, Interval first, long firstPercent, Interval last, long lastPercent) {
        String span = "from " + withInterval(first) + " at " + firstPercent + "% of its training to "
                + withInterval(last) + " at " + lastPercent + "%";
        if (!first.disjointFrom(last)) {
            return "For " + run + ", FD goes " + span + "; the intervals overlap, so no change over the training"
                    + " is shown.";
        }
        return "For " + run + ", FD " + (last.value() < first.value() ? "falls " : "rises ") + span
                + " (intervals disjoint).";
    }

    static String withInterval(Interval i) {
        return number(i.value()) + " (95% interval " + number(i.low()) + "–" + number(i.high()) + ")";
    }

    /** Three significant digits, no exponent for everyday magnitudes: 0.000123 → 1.23e-04. */
    static String number(double v) {
        if (!Double.isFinite(v)) {
            return "n/a";
        }
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1e5 || a < 1e-3) {
            int exponent = (int) Math.floor(Math.log10(a));
            return threeDigits(v / Math.pow(10, exponent)) + "e" + exponent;
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return threeDigits(v);
    }

    /**
     * Three significant digits. Trailing zeros go (4.20 → 4.2, 0.0100 → 0.01), except that a value
     * of two integer digits keeps its decimal, so 25.99 dB reads 26.0 rather than a whole 26.
     */
    private static String threeDigits(double v) {
        BigDecimal rounded = new BigDecimal(v).round(new MathContext(3));
        boolean keep = Math.abs(v) >= 10 && v != Math.rint(v);
        return (keep ? rounded : rounded.stripTrailingZeros()).toPlainString();
    }

    static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
