package ldm4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StratifiedSplitTest {
    /** Unbalanced labels in a scrambled order: class c has 70·(c+1) images. */
    private static int[] labels() {
        int[] labels = new int[70 * 15];
        int k = 0;
        for (int c = 0; c < 5; c++) {
            for (int i = 0; i < 70 * (c + 1); i++) {
                labels[k++] = c;
            }
        }
        Shuffle.shuffle(labels, new SplittableRandom(3));
        return labels;
    }

    @Test
    void splitIsDeterministicForASeed() {
        int[] labels = labels();
        assertArrayEquals(StratifiedSplit.testMask(labels, labels.length, 42),
                StratifiedSplit.testMask(labels.clone(), labels.length, 42));
        assertFalse(Arrays.equals(StratifiedSplit.testMask(labels, labels.length, 42),
                StratifiedSplit.testMask(labels, labels.length, 43)));
    }

    @Test
    void everyClassSendsOneSeventhToTest() {
        int[] labels = labels();
        byte[] mask = StratifiedSplit.testMask(labels, labels.length, 7);
        int[] test = new int[5];
        int[] total = new int[5];
        for (int i = 0; i < labels.length; i++) {
            total[labels[i]]++;
            test[labels[i]] += mask[i];
        }
        for (int c = 0; c < 5; c++) {
            assertEquals(10 * (c + 1), test[c], "class " + c);
            assertEquals(70 * (c + 1), total[c]);
        }
    }

    @Test
    void unlabelledDataSendsOneSeventhToTest() {
        byte[] mask = StratifiedSplit.testMask(null, 700, 1);
        int test = 0;
        for (byte b : mask) {
            test += b;
        }
        assertEquals(100, test);
    }
}
