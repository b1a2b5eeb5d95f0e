package ldm4j.core.train;

import static ldm4j.core.train.TrainFixtures.backwardWithGradients;
import static ldm4j.core.train.TrainFixtures.gradientOf;
import static ldm4j.core.train.TrainFixtures.list;
import static ldm4j.core.train.TrainFixtures.param;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradNormClipTest {
    // Gradients (3, -4) and (0, -12): global norm sqrt(9 + 16 + 144) = 13.
    private static final float[] G1 = {3f, -4f};
    private static final float[] G2 = {0f, -12f};

    @Test
    void clipsToMaxNormKeepingDirectionIncludingNegativeGradients() {
        try (NDManager root = NDManager.newBaseManager()) {
            Parameter a = param(root, "a", 1f, 1f);
            Parameter b = param(root, "b", 1f, 1f);
            PairList<String, Parameter> params = list(a, b);
            try (NDManager scope = root.newSubManager()) {
                backwardWithGradients(params, scope, G1, G2);
                float norm = new GradNormClip(1.3).clip(Gradients.collect(params, scope));
                assertEquals(13f, norm, 1e-5f, "returns the norm before clipping");
            }
            double scale = 1.3 / (13 + GradNormClip.EPS);
            assertArrayEquals(new float[] {(float) (3 * scale), (float) (-4 * scale)}, gradientOf(a), 1e-6f);
            assertArrayEquals(new float[] {0f, (float) (-12 * scale)}, gradientOf(b), 1e-6f,
                    "negative gradients are scaled too (DJL's optClipGrad leaves them)");
            try (NDManager scope = root.newSubManager()) {
                assertEquals(1.3f, GradNormClip.globalNorm(Gradients.collect(params, scope)), 1e-5f);
            }
        }
    }

    @Test
    void gradientsBelowTheThresholdAreUnchanged() {
        try (NDManager root = NDManager.newBaseManager()) {
            Parameter a = param(root, "a", 1f, 1f);
            Parameter b = param(root, "b", 1f, 1f);
            PairList<String, Parameter> params = list(a, b);
            try (NDManager scope = root.newSubManager()) {
                backwardWithGradients(params, scope, G1, G2);
                assertEquals(13f, new GradNormClip(13.5).clip(Gradients.collect(params, scope)), 1e-5f);
            }
            assertArrayEquals(G1, gradientOf(a), 0f);
            assertArrayEquals(G2, gradientOf(b), 0f);
        }
    }

    @Test
    void nonFiniteGradientGivesNonFiniteNormAndIsLeftAlone() {
        try (NDManager root = NDManager.newBaseManager()) {
            Parameter a = param(root, "a", 1f, 1f);
            Parameter b = param(root, "b", 1f, 1f);
            PairList<String, Parameter> params = list(a, b);
            try (NDManager scope = root.newSubManager()) {
                backwardWithGradients(params, scope, new float[] {Float.NaN, 100f}, G2);
                float norm = new GradNormClip(1).clip(Gradients.collect(params, scope));
                assertFalse(Float.isFinite(norm));
            }
            assertArrayEquals(G2, gradientOf(b), 0f, "nothing is scaled by a NaN factor");
        }
    }

    @Test
    void zeroClearsNanGradients() {
        try (NDManager root = NDManager.newBaseManager()) {
            Parameter a = param(root, "a", 1f, 1f);
            PairList<String, Parameter> params = list(a);
            try (NDManager scope = root.newSubManager()) {
                backwardWithGradients(params, scope, new float[] {Float.NaN, Float.NEGATIVE_INFINITY});
                Gradients.zero(Gradients.collect(params, scope));
            }
            assertArrayEquals(new float[] {0f, 0f}, gradientOf(a), 0f);
        }
    }

    @Test
    void emptyGradientListHasZeroNorm() {
        assertEquals(0f, GradNormClip.globalNorm(List.of()));
    }

    @Test
    void rejectsNonPositiveMaxNormNamingTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new GradNormClip(0))
                .getMessage().contains("maxNorm"));
        assertThrows(IllegalArgumentException.class, () -> new GradNormClip(Double.NaN));
    }
}
