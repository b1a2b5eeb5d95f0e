package ldm4j.diffusion.unet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import ldm4j.core.engine.EngineSetup;
import org.junit.jupiter.api.Test;

/** Shapes, zero init, conditioning and gradient flow of the UNet on tiny inputs. */
class UNetTest {
    static UNetConfig tiny(int inChannels, int numClasses) {
        return new UNetConfig(inChannels, 16, List.of(1, 2), 1, List.of(2), 2, 0, 0.0, numClasses);
    }

    private static NDArray steps(NDManager m, long... t) {
        return m.create(t);
    }

    /**
     * Gives ADM's zero modules (conv_out, each ResBlock's conv2, each attention's proj_out) random
     * weights, as training soon does, so that the output and every gradient path are no longer zero.
     */
    static void perturbOutputConv(UNet unet, NDManager m) {
        for (Pair<String, Parameter> p : unet.getParameters()) {
            String key = p.getKey();
            if (key.contains("conv_out_") || key.contains("conv2_") || key.contains("proj_out_")) {
                NDArray w = p.getValue().getArray();
                try (NDArray r = m.randomNormal(0f, 0.1f, w.getShape(), w.getDataType())) {
                    w.set(new NDIndex("..."), r);
                }
            }
        }
    }

    @Test
    void outputShapeEqualsInputShapeForSeveralResolutionsAndChannelCounts() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (UNetConfig cfg : List.of(tiny(1, 0), tiny(4, 3),
                    new UNetConfig(3, 8, List.of(1, 1, 2), 2, List.of(1, 4), 0, 8, 0.0, 0))) {
                UNet unet = new UNet(cfg);
                unet.initialize(m);
                for (int size : new int[] {8, 16}) {
                    NDArray x = m.randomNormal(new Shape(2, cfg.inChannels(), size, size));
                    NDArray labels = cfg.classConditional() ? m.create(new long[] {0, 2}) : null;
                    NDArray out = new UNetDenoiser(unet, m).predict(x, steps(m, 3, 700), labels);
                    assertEquals(x.getShape(), out.getShape(), cfg.toString());
                }
            }
        }
    }

    @Test
    void zeroInitialisedOutputConvMakesTheOutputExactlyZero() {
        try (NDManager m = NDManager.newBaseManager()) {
            UNet unet = new UNet(tiny(4, 3));
            unet.initialize(m);
            NDArray x = m.randomNormal(new Shape(3, 4, 8, 8));
            NDArray out = new UNetDenoiser(unet, m).predict(x, steps(m, 0, 10, 999), m.create(new long[] {0, 1, 3}));
            for (float v : out.toFloatArray()) {
                assertEquals(0f, v);
            }
            // ADM's other zero modules: every ResBlock's conv2 and every attention's proj_out
            int zeroed = 0;
            for (Pair<String, Parameter> p : unet.getParameters()) {
                if (p.getKey().contains("conv2_") || p.getKey().contains("proj_out_")) {
                    assertEquals(0f, p.getValue().getArray().abs().max().getFloat(), p.getKey());
                    zeroed++;
                }
            }
            assertTrue(zeroed > 0, "the UNet has zero-initialised residual branches");
        }
    }

    @Test
    void outputDependsOnTimestepAndClass() {
        try (NDManager m = NDManager.newBaseManager()) {
            UNet unet = new UNet(tiny(1, 3));
            unet.initialize(m);
            perturbOutputConv(unet, m);
            UNetDenoiser d = new UNetDenoiser(unet, m);
            NDArray x = m.randomNormal(new Shape(1, 1, 8, 8));
            NDArray base = d.predict(x, steps(m, 10), m.create(new long[] {0}));
            NDArray otherT = d.predict(x, steps(m, 500), m.create(new long[] {0}));
            NDArray otherClass = d.predict(x, steps(m, 10), m.create(new long[] {1}));
            NDArray nullClass = d.predict(x, steps(m, 10), null);
            NDArray explicitNull = d.predict(x, steps(m, 10), m.create(new long[] {3}));
            assertTrue(base.sub(otherT).abs().max().getFloat() > 1e-4f, "t changes the output");
            assertTrue(base.sub(otherClass).abs().max().getFloat() > 1e-4f, "the class changes the output");
            assertEquals(0f, nullClass.sub(explicitNull).abs().max().getFloat(), "no labels means the null class");
            assertTrue(base.sub(base).abs().max().getFloat() == 0f);
        }
    }

    @Test
    void gradientsReachEveryParameter() {
        EngineSetup.seed(7);
        try (NDManager m = NDManager.newBaseManager()) {
            UNet unet = new UNet(tiny(2, 3));
            unet.initialize(m);
            perturbOutputConv(unet, m);
            try (NDManager scope = m.newSubManager()) {
                NDArray x = scope.randomNormal(new Shape(4, 2, 8, 8));
                NDArray r = scope.randomNormal(new Shape(4, 2, 8, 8));
                // every row of the label table is used once, the null row included
                NDArray labels = scope.create(new long[] {0, 1, 2, 3});
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray out = unet.forward(new ParameterStore(scope, false), x, scope.create(new long[] {1, 50, 300, 900}),
                            labels, true);
                    gc.backward(r.mul(out).sum());
                }
                List<String> dead = new ArrayList<>();
                for (Pair<String, Parameter> p : unet.getParameters()) {
                    try (NDArray g = p.getValue().getArray().getGradient()) {
                        if (!(g.abs().max().getFloat() > 0f)) {
                            dead.add(p.getKey());
                        }
                    }
                }
                assertTrue(dead.isEmpty(), "parameters without gradient: " + dead);
                NDArray labelGrad = unet.getParameters().stream().filter(p -> p.getKey().contains("label_emb"))
                        .findFirst().orElseThrow().getValue().getArray().getGradient();
                for (int row = 0; row < 4; row++) {
                    assertTrue(labelGrad.get(row).abs().max().getFloat() > 0f, "label row " + row + " gets a gradient");
                }
            }
        }
    }

    @Test
    void timestepSinusoidMatchesClosedForm() {
        try (NDManager m = NDManager.newBaseManager()) {
            int dim = 8;
            long[] ts = {0, 1, 37, 999};
            float[] s = TimestepEmbedding.sinusoid(m.create(ts), dim).toFloatArray();
            for (int i = 0; i < ts.length; i++) {
                for (int k = 0; k < dim / 2; k++) {
                    double freq = Math.pow(10000.0, -k / 4.0); // 10000^(−k/half)
                    assertEquals(Math.cos(ts[i] * freq), s[i * dim + k], 1e-6, "cos t=" + ts[i] + " k=" + k);
                    assertEquals(Math.sin(ts[i] * freq), s[i * dim + 4 + k], 1e-6, "sin t=" + ts[i] + " k=" + k);
                }
            }
            // t = 0: cosines 1, sines 0
            assertEquals(1f, s[0]);
            assertEquals(0f, s[4]);
        }
    }

    @Test
    void timestepEmbeddingHasFourTimesModelChannels() {
        try (NDManager m = NDManager.newBaseManager()) {
            UNet unet = new UNet(tiny(1, 0));
            unet.initialize(m);
            long linear2Bias = unet.getParameters().stream()
                    .filter(p -> p.getKey().contains("time_embed") && p.getKey().endsWith("linear_2_bias"))
                    .findFirst().orElseThrow().getValue().getArray().size();
            assertEquals(64, linear2Bias);
        }
    }

    @Test
    void configRejectsBadValuesNamingTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new UNetConfig(1, 15, List.of(1), 1, List.of(), 1, 0, 0, 0)).getMessage().contains("model_channels"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new UNetConfig(1, 16, List.of(1, 2), 1, List.of(4), 1, 0, 0, 0)).getMessage()
                .contains("attention_resolutions"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new UNetConfig(1, 16, List.of(1, 2), 0, List.of(), 1, 0, 0, 0)).getMessage()
                .contains("num_res_blocks"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new UNetConfig(1, 16, List.of(1, 2), 1, List.of(2), 3, 0, 0, 0)).getMessage()
                .contains("num_heads"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new UNetConfig(1, 16, List.of(), 1, List.of(), 1, 0, 0, 0)).getMessage()
                .contains("channel_mult"));
    }

    @Test
    void inputSizeMustBeAMultipleOfTheDownsamplingFactor() {
        try (NDManager m = NDManager.newBaseManager()) {
            UNet unet = new UNet(tiny(1, 0));
            unet.initialize(m);
            NDArray x = m.zeros(new Shape(1, 1, 7, 7));
            assertThrows(IllegalArgumentException.class, () -> new UNetDenoiser(unet, m).predict(x, steps(m, 1), null));
        }
    }
}
