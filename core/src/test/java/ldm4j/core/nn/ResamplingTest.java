package ldm4j.core.nn;

import static ldm4j.core.nn.NnTestSupport.assertClose;
import static ldm4j.core.nn.NnTestSupport.fix;
import static ldm4j.core.nn.NnTestSupport.init;
import static ldm4j.core.nn.NnTestSupport.run;
import static ldm4j.core.nn.NnTestSupport.values;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import org.junit.jupiter.api.Test;

class ResamplingTest {

    @Test
    void downsamplePadsRightAndBottomLikeLdm() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.arange(1f, 17f).reshape(1, 1, 4, 4); // x[r][c] = 4r + c + 1
            // Top-left tap: out[i][j] = x[2i][2j].
            assertClose(new double[] {1, 3, 9, 11}, downsampleWithTap(m, x, 0), 0);
            // Centre tap: out[i][j] = x[2i+1][2j+1].
            assertClose(new double[] {6, 8, 14, 16}, downsampleWithTap(m, x, 4), 0);
            // Bottom-right tap reaches the zero padding in the last row and column.
            assertClose(new double[] {11, 0, 0, 0}, downsampleWithTap(m, x, 8), 0);
        }
    }

    @Test
    void downsampleHalvesResolution() {
        try (NDManager m = NDManager.newBaseManager()) {
            Downsample down = new Downsample(8);
            init(down, m, new Shape(2, 8, 16, 16));
            assertEquals(new Shape(2, 8, 8, 8), run(down, m, m.ones(new Shape(2, 8, 16, 16))).getShape());
            assertEquals(new Shape(2, 8, 8, 8), down.getOutputShapes(new Shape[] {new Shape(2, 8, 16, 16)})[0]);
        }
    }

    @Test
    void nearestUpsampleRepeatsEachPixelTwiceInBothDirections() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.arange(4f).reshape(1, 1, 2, 2);
            assertClose(
                    new double[] {0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3}, Upsample.nearest2x(x), 0);
        }
    }

    @Test
    void upsampleWithCentreTapConvEqualsNearestUpsample() {
        try (NDManager m = NDManager.newBaseManager()) {
            Upsample up = new Upsample(2);
            fix(up, "01conv_weight", values(ResBlockTest.centreTapIdentity(2)));
            init(up, m, new Shape(1, 2, 2, 2));
            NDArray x = m.arange(8f).reshape(1, 2, 2, 2);
            NDArray y = run(up, m, x);
            assertEquals(new Shape(1, 2, 4, 4), y.getShape());
            float[] expected = Upsample.nearest2x(x).toFloatArray();
            double[] e = new double[expected.length];
            for (int i = 0; i < e.length; i++) {
                e[i] = expected[i];
            }
            assertClose(e, y, 0);
        }
    }

    private static NDArray downsampleWithTap(NDManager m, NDArray x, int tap) {
        Downsample down = new Downsample(1);
        float[] w = new float[9];
        w[tap] = 1;
        fix(down, "01conv_weight", values(w));
        fix(down, "01conv_bias", Initializer.ZEROS);
        init(down, m, x.getShape());
        return run(down, m, x);
    }
}
