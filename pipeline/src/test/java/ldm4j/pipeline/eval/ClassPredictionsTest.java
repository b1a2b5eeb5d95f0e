package ldm4j.pipeline.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ClassPredictionsTest {

    @Test
    void theUnplaceableShareCountsTopProbabilitiesBelowOneHalfAndPlacesOneHalfItself() {
        ClassPredictions p = new ClassPredictions(new int[] {0, 1, 2, 3, 4, 5, 6, 7},
                new float[] {0.5f, Math.nextDown(0.5f), 0.9f, 0.1f, 1.0f, Math.nextUp(0.5f), 0.34f, 0.49f});
        assertTrue(p.placed(0), "exactly 0.5 is placed");
        assertFalse(p.placed(1), "just below 0.5 is not");
        assertEquals(4, p.unplaceable()); // nextDown(0.5), 0.1, 0.34, 0.49
        assertEquals(0.5, p.unplaceableShare(), 0);
        assertEquals(0.0, new ClassPredictions(new int[] {1, 1}, new float[] {0.5f, 0.7f}).unplaceableShare(), 0);
        assertEquals(1.0, new ClassPredictions(new int[] {2}, new float[] {0.2f}).unplaceableShare(), 0);
        assertTrue(Double.isNaN(new ClassPredictions(new int[0], new float[0]).unplaceableShare()));
    }

    @Test
    void probabilitiesOutsideZeroOneOrOfTheWrongCountAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ClassPredictions(new int[] {0}, new float[] {1.5f}));
        assertThrows(IllegalArgumentException.class, () -> new ClassPredictions(new int[] {0}, new float[] {Float.NaN}));
        assertThrows(IllegalArgumentException.class, () -> new ClassPredictions(new int[] {0, 1}, new float[] {0.5f}));
    }

    @Test
    void topClassesTakeTheSoftmaxOfTheLogitsRowByRow() {
        float[] logits = {
            0, 0, -100, -100, // two equal classes take 1/2 each: exactly the boundary, placed
            0, 0, 0, 0, //       1/4 each: unplaceable; the arg-max is the first
            -1, 5, 0, 2, //      e^5 / (e^-1 + e^5 + 1 + e^2) ≈ 0.946
            0, 1, 1, 1, //       e / (1 + 3e) ≈ 0.301: unplaceable
        };
        int[] classes = new int[6];
        float[] top = new float[6];
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(logits, new Shape(4, 4));
            ClassifierInference.topClasses(x, classes, top, 2); // written from index 2 on
        }
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1}, classes);
        assertEquals(0.5f, top[2], 0);
        assertEquals(0.25f, top[3], 0);
        double e5 = Math.exp(5);
        assertEquals(e5 / (Math.exp(-1) + e5 + 1 + Math.exp(2)), top[4], 1e-6);
        assertEquals(Math.E / (1 + 3 * Math.E), top[5], 1e-6);
        ClassPredictions p = new ClassPredictions(Arrays.copyOfRange(classes, 2, 6), Arrays.copyOfRange(top, 2, 6));
        assertEquals(0.5, p.unplaceableShare(), 0, p.toString());
    }
}
