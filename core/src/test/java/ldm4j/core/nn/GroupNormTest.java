package ldm4j.core.nn;

import static ldm4j.core.nn.NnTestSupport.assertClose;
import static ldm4j.core.nn.NnTestSupport.fix;
import static ldm4j.core.nn.NnTestSupport.init;
import static ldm4j.core.nn.NnTestSupport.run;
import static ldm4j.core.nn.NnTestSupport.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupNormTest {

    @Test
    void matchesHandComputedTwoGroupCase() {
        try (NDManager m = NDManager.newBaseManager()) {
            // N=1, C=4, G=2, 2×2: group 0 holds 0..7, group 1 holds 8..15; each has
            // mean 3.5 (+8) and biased variance (8² − 1)/12 = 5.25.
            GroupNorm norm = new GroupNorm(4, 2);
            fix(norm, "gamma", values(1, 2, 3, 4));
            fix(norm, "beta", values(0, 0, 1, -1));
            init(norm, m, new Shape(1, 4, 2, 2));
            NDArray x = m.arange(16f).reshape(1, 4, 2, 2);

            double[] gamma = {1, 2, 3, 4};
            double[] beta = {0, 0, 1, -1};
            double[] expected = new double[16];
            for (int i = 0; i < 16; i++) {
                int c = i / 4;
                double mean = c < 2 ? 3.5 : 11.5;
                expected[i] = (i - mean) / Math.sqrt(5.25 + 1e-6) * gamma[c] + beta[c];
            }
            assertClose(expected, run(norm, m, x), 1e-5);
        }
    }

    @Test
    void normalisesEachGroupToZeroMeanUnitVarianceWithIdentityAffine() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(7);
            GroupNorm norm = new GroupNorm(8, 4);
            init(norm, m, new Shape(2, 8, 4, 4));
            NDArray x = m.randomNormal(3f, 5f, new Shape(2, 8, 4, 4), ai.djl.ndarray.types.DataType.FLOAT32);
            NDArray grouped = run(norm, m, x).reshape(2, 4, -1);
            float[] means = grouped.mean(new int[] {2}).toFloatArray();
            float[] vars = grouped.sub(grouped.mean(new int[] {2}, true)).square().mean(new int[] {2}).toFloatArray();
            for (int i = 0; i < means.length; i++) {
                assertEquals(0, means[i], 1e-5, "mean of group " + i);
                assertEquals(1, vars[i], 1e-4, "variance of group " + i);
            }
        }
    }

    @Test
    void defaultGroupCountIsLdmsThirtyTwoForWideLayersAndKeepsTwoChannelsPerGroup() {
        assertEquals(32, GroupNorm.defaultGroups(64));
        assertEquals(32, GroupNorm.defaultGroups(128));
        assertEquals(32, GroupNorm.defaultGroups(512));
        assertEquals(16, GroupNorm.defaultGroups(32));
        assertEquals(24, GroupNorm.defaultGroups(48));
        assertEquals(4, GroupNorm.defaultGroups(8));
        assertEquals(1, GroupNorm.defaultGroups(3));
        assertEquals(1, GroupNorm.defaultGroups(2));
        assertEquals(1, GroupNorm.defaultGroups(1));
        assertEquals(1, GroupNorm.defaultGroups(37));
    }

    @Test
    void rejectsGroupCountThatDoesNotDivideChannels() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GroupNorm(6, 4));
        assertTrue(e.getMessage().contains("groups"), e.getMessage());
    }

    @Test
    void parameterKeysAreGammaAndBeta() {
        assertEquals(List.of("gamma", "beta"), new GroupNorm(4).getParameters().keys());
    }
}
