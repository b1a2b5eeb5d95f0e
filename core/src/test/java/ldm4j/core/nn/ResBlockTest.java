package ldm4j.core.nn;

import static ldm4j.core.nn.NnTestSupport.assertClose;
import static ldm4j.core.nn.NnTestSupport.fix;
import static ldm4j.core.nn.NnTestSupport.init;
import static ldm4j.core.nn.NnTestSupport.run;
import static ldm4j.core.nn.NnTestSupport.silu;
import static ldm4j.core.nn.NnTestSupport.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResBlockTest {

    @Test
    void parameterKeysFollowLdmNamesInForwardOrder() {
        ResBlock block = ResBlock.builder().setInChannels(4).setOutChannels(8).optEmbChannels(6).build();
        assertEquals(
                List.of(
                        "01norm1_gamma", "01norm1_beta",
                        "02conv1_weight", "02conv1_bias",
                        "03temb_proj_weight", "03temb_proj_bias",
                        "04norm2_gamma", "04norm2_beta",
                        "06conv2_weight", "06conv2_bias",
                        "07nin_shortcut_weight", "07nin_shortcut_bias"),
                block.getParameters().keys());
    }

    @Test
    void withZeroConv2OutputEqualsIdentitySkip() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(1);
            ResBlock block = ResBlock.builder().setInChannels(4).setOutChannels(4).build();
            fix(block, "05conv2_weight", Initializer.ZEROS);
            init(block, m, new Shape(2, 4, 8, 8));
            NDArray x = m.randomNormal(new Shape(2, 4, 8, 8));
            assertArrayEquals(x.toFloatArray(), run(block, m, x).toFloatArray(), 0f);
        }
    }

    @Test
    void withZeroConv2OutputEqualsNinShortcutOfInput() {
        try (NDManager m = NDManager.newBaseManager()) {
            ResBlock block = ResBlock.builder().setInChannels(2).setOutChannels(3).build();
            fix(block, "05conv2_weight", Initializer.ZEROS);
            // nin_shortcut: out_o = Σ_i W[o][i] x_i + b_o
            float[][] w = {{1, 0}, {0, 2}, {1, -1}};
            float[] b = {0.5f, 0, -1};
            fix(block, "06nin_shortcut_weight", values(1, 0, 0, 2, 1, -1));
            fix(block, "06nin_shortcut_bias", values(b));
            init(block, m, new Shape(1, 2, 2, 2));
            NDArray x = m.arange(8f).reshape(1, 2, 2, 2);
            double[] expected = new double[12];
            for (int o = 0; o < 3; o++) {
                for (int p = 0; p < 4; p++) {
                    expected[o * 4 + p] = w[o][0] * p + w[o][1] * (4 + p) + b[o];
                }
            }
            assertClose(expected, run(block, m, x), 1e-5);
        }
    }

    @Test
    void matchesHandComputedSingleChannelCase() {
        try (NDManager m = NDManager.newBaseManager()) {
            // C = 1, 2×2 image; convs have only a centre tap, so each is a per-pixel affine map.
            ResBlock block = ResBlock.builder().setInChannels(1).setOutChannels(1).build();
            fix(block, "02conv1_weight", values(0, 0, 0, 0, 2, 0, 0, 0, 0));
            fix(block, "02conv1_bias", values(0.5f));
            fix(block, "05conv2_weight", values(0, 0, 0, 0, 3, 0, 0, 0, 0));
            fix(block, "05conv2_bias", values(-1));
            init(block, m, new Shape(1, 1, 2, 2));
            double[] x = {1, 2, 3, 4};
            double[] h = new double[4];
            double[] xn = normalise(x);
            for (int i = 0; i < 4; i++) {
                h[i] = 2 * silu(xn[i]) + 0.5;
            }
            double[] hn = normalise(h);
            double[] expected = new double[4];
            for (int i = 0; i < 4; i++) {
                expected[i] = x[i] + 3 * silu(hn[i]) - 1;
            }
            assertClose(expected, run(block, m, m.create(new float[] {1, 2, 3, 4}, new Shape(1, 1, 2, 2))), 1e-5);
        }
    }

    @Test
    void embeddingIsProjectedAndAddedAfterConv1() {
        try (NDManager m = NDManager.newBaseManager()) {
            // C = 2 in one group, so norm2 does not cancel the per-channel embedding offsets.
            ResBlock block =
                    ResBlock.builder().setInChannels(2).setOutChannels(2).optEmbChannels(2).optGroups(1).build();
            // conv1: identity on channels (centre tap); conv2: identity; temb_proj: W = [[1, 0], [0, -2]].
            fix(block, "02conv1_weight", values(centreTapIdentity(2)));
            fix(block, "03temb_proj_weight", values(1, 0, 0, -2));
            fix(block, "03temb_proj_bias", values(0.25f, 0));
            fix(block, "06conv2_weight", values(centreTapIdentity(2)));
            init(block, m, new Shape(1, 2, 1, 2), new Shape(1, 2));
            double[] x = {1, -1, 0.5, 2}; // channel 0: (1, -1), channel 1: (0.5, 2)
            double[] emb = {0.5, 2};
            double[] proj = {silu(emb[0]) + 0.25, -2 * silu(emb[1])};
            double[] h = normalise(x);
            for (int i = 0; i < 4; i++) {
                h[i] = silu(h[i]) + proj[i / 2];
            }
            double[] hn = normalise(h);
            double[] expected = new double[4];
            for (int i = 0; i < 4; i++) {
                expected[i] = x[i] + silu(hn[i]);
            }
            NDArray out =
                    run(
                            block,
                            m,
                            m.create(new float[] {1, -1, 0.5f, 2}, new Shape(1, 2, 1, 2)),
                            m.create(new float[] {0.5f, 2}, new Shape(1, 2)));
            assertClose(expected, out, 1e-5);
        }
    }

    @Test
    void outputShapeHasOutChannels() {
        try (NDManager m = NDManager.newBaseManager()) {
            ResBlock block = ResBlock.builder().setInChannels(3).setOutChannels(16).optDropout(0.1f).build();
            init(block, m, new Shape(2, 3, 8, 8));
            NDArray y = run(block, m, m.ones(new Shape(2, 3, 8, 8), DataType.FLOAT32));
            assertEquals(new Shape(2, 16, 8, 8), y.getShape());
            assertEquals(y.getShape(), block.getOutputShapes(new Shape[] {new Shape(2, 3, 8, 8)})[0]);
        }
    }

    @Test
    void builderRejectsMissingOutChannelsNamingTheField() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ResBlock.builder().setInChannels(4).build());
        assertEquals("outChannels must be > 0, got 0", e.getMessage());
    }

    /** Weights of a k=3 conv from C to C channels that copy each channel (only the centre tap). */
    static float[] centreTapIdentity(int c) {
        float[] w = new float[c * c * 9];
        for (int o = 0; o < c; o++) {
            w[(o * c + o) * 9 + 4] = 1;
        }
        return w;
    }

    /** Normalises all values together (one group): mean 0, biased variance 1, eps 1e-6. */
    static double[] normalise(double[] v) {
        double mean = 0;
        for (double a : v) {
            mean += a / v.length;
        }
        double var = 0;
        for (double a : v) {
            var += (a - mean) * (a - mean) / v.length;
        }
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (v[i] - mean) / Math.sqrt(var + 1e-6);
        }
        return out;
    }
}
