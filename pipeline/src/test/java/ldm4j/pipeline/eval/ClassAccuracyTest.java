package ldm4j.pipeline.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClassAccuracyTest {

    @Test
    void accuracyCountsMatchesOverallAndPerRequestedClass() {
        int[] requested = {0, 0, 1, 1, 2, 2, 2};
        int[] predicted = {0, 1, 1, 1, 0, 2, 1};
        ClassAccuracy acc = ClassAccuracy.of(requested, predicted, 4);

        assertEquals(4, acc.correct());
        assertEquals(7, acc.total());
        assertEquals(4.0 / 7, acc.accuracy(), 1e-15);
        assertArrayEquals(new int[] {1, 2, 1, 0}, acc.correctPerClass());
        assertArrayEquals(new int[] {2, 2, 3, 0}, acc.requestedPerClass());
        assertEquals(0.5, acc.accuracyOf(0), 0);
        assertEquals(1.0, acc.accuracyOf(1), 0);
        assertEquals(1.0 / 3, acc.accuracyOf(2), 1e-15);
    }

    @Test
    void classNeverRequestedHasNoAccuracy() {
        ClassAccuracy acc = ClassAccuracy.of(new int[] {0, 1}, new int[] {0, 2}, 3);
        assertTrue(Double.isNaN(acc.accuracyOf(2)), "class 2 was predicted but never requested");
        assertEquals(3, acc.perClassAccuracy().length);
    }

    @Test
    void perfectAndWorstPredictionsGiveOneAndZero() {
        int[] labels = {3, 1, 4, 1, 5, 9, 2, 6};
        assertEquals(1.0, ClassAccuracy.of(labels, labels, 10).accuracy(), 0);
        int[] shifted = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            shifted[i] = (labels[i] + 1) % 10;
        }
        assertEquals(0.0, ClassAccuracy.of(labels, shifted, 10).accuracy(), 0);
    }

    @Test
    void mismatchedOrOutOfRangeLabelsAreRejectedNamingTheIndex() {
        assertThrows(IllegalArgumentException.class, () -> ClassAccuracy.of(new int[] {0, 1}, new int[] {0}, 2));
        assertThrows(IllegalArgumentException.class, () -> ClassAccuracy.of(new int[0], new int[0], 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClassAccuracy.of(new int[] {0, 1, 2}, new int[] {0, 1, 7}, 3));
        assertTrue(e.getMessage().contains("index 2") && e.getMessage().contains("7"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClassAccuracy.of(new int[] {-1}, new int[] {0}, 3));
    }
}
