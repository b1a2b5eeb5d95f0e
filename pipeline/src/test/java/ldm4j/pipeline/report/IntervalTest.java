package ldm4j.pipeline.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IntervalTest {
    @Test
    void onlyIntervalsThatShareNoPointAreDisjoint() {
        Interval a = new Interval(1.5, 1, 2);
        Interval b = new Interval(2, 1.5, 3);
        Interval c = new Interval(2.7, 2.5, 3);
        Interval touching = new Interval(2.2, 2, 2.5);
        assertFalse(a.disjointFrom(b));
        assertFalse(b.disjointFrom(a));
        assertTrue(a.disjointFrom(c));
        assertTrue(c.disjointFrom(a));
        assertFalse(a.disjointFrom(touching), "a shared end point is an overlap");
    }

    @Test
    void anEmptyIntervalIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Interval(1, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> new Interval(1, Double.NaN, 1));
    }
}
