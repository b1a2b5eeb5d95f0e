package ldm4j.autoencoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import ldm4j.autoencoder.loss.AutoencoderLoss;
import ldm4j.autoencoder.loss.ReconstructionLoss;
import org.junit.jupiter.api.Test;

class AutoencoderKLTest {

    @Test
    void shapesForEachDownsamplingFactorAndChannelCount() {
        List<List<Integer>> mults = List.of(List.of(1), List.of(1, 2), List.of(1, 1, 2), List.of(1, 1, 1, 2));
        try (NDManager root = NDManager.newBaseManager()) {
            for (int channels : new int[] {1, 3}) {
                for (List<Integer> mult : mults) {
                    AutoencoderConfig config = new AutoencoderConfig(channels, 8, mult, 1, 2, true, 0f);
                    int f = config.downsamplingFactor();
                    AutoencoderKL model = new AutoencoderKL(config);
                    model.initialize(root);
                    try (NDManager step = root.newSubManager()) {
                        ParameterStore ps = new ParameterStore(step, false);
                        NDArray x = step.randomUniform(-1, 1, new Shape(2, channels, 16, 16));
                        DiagonalGaussian posterior = model.encode(ps, x, false);
                        Shape latent = new Shape(2, 2, 16 / f, 16 / f);
                        String where = "C=" + channels + ", f=" + f;
                        assertEquals(latent, posterior.mean().getShape(), where);
                        assertEquals(latent, posterior.logvar().getShape(), where);
                        assertEquals(new Shape(2, 4, 16 / f, 16 / f), model.encoder().forward(ps, new ai.djl.ndarray.NDList(x), false).head().getShape(), where);
                        assertEquals(x.getShape(), model.decode(ps, posterior.sample(), false).getShape(), where);
                        assertEquals(
                                List.of(x.getShape(), latent, latent),
                                List.of(model.getOutputShapes(new Shape[] {x.getShape()})),
                                where);
                        ai.djl.ndarray.NDList viaBlock = model.forward(ps, new ai.djl.ndarray.NDList(x), false);
                        assertEquals(
                                List.of(x.getShape(), latent, latent),
                                List.of(viaBlock.getShapes()),
                                where + " (Block.forward gives reconstruction, mean, logvar)");
                    }
                    model.getParameters().forEach(p -> p.getValue().close());
                }
            }
        }
    }

    /** One backward pass gives every parameter a finite, non-zero gradient. */
    @Test
    void gradientsReachEveryParameter() {
        Engine.getInstance().setRandomSeed(5);
        try (NDManager root = NDManager.newBaseManager()) {
            AutoencoderKL model = new AutoencoderKL(new AutoencoderConfig(3, 8, List.of(1, 2), 1, 2, true, 0f));
            model.initialize(root);
            AutoencoderLoss loss = new AutoencoderLoss(ReconstructionLoss.NLL, 1.0);
            loss.initialize(root);
            List<Pair<String, Parameter>> all = new ArrayList<>();
            model.getParameters().forEach(all::add);
            loss.getParameters().forEach(all::add);
            assertTrue(all.size() > 50, "expected many parameters, got " + all.size());
            List<String> dead = new ArrayList<>();
            try (NDManager step = root.newSubManager();
                    GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray x = step.randomUniform(-1, 1, new Shape(2, 3, 8, 8));
                AutoencoderKL.Output out = model.forward(new ParameterStore(step, false), x, true, true);
                gc.backward(loss.compute(x, out.reconstruction(), out.posterior()).total());
                for (Pair<String, Parameter> p : all) {
                    NDArray grad = p.getValue().getArray().getGradient();
                    grad.attach(step);
                    float absSum = grad.abs().sum().getFloat();
                    if (!(absSum > 0) || !Float.isFinite(absSum)) {
                        dead.add(p.getKey() + "=" + absSum);
                    }
                    JniUtils.zeroGrad((PtNDArray) p.getValue().getArray());
                }
            }
            assertEquals(List.of(), dead, "parameters with zero or non-finite gradient");
        }
    }

    @Test
    void trainingStepsLeaveNoArraysInTheRootManager() {
        Engine.getInstance().setRandomSeed(6);
        try (NDManager root = NDManager.newBaseManager()) {
            AutoencoderKL model = new AutoencoderKL(new AutoencoderConfig(1, 8, List.of(1, 2), 1, 2, true, 0f));
            model.initialize(root);
            AutoencoderLoss loss = new AutoencoderLoss(ReconstructionLoss.NLL, 1e-6);
            loss.initialize(root);
            int before = root.getManagedArrays().size();
            int[] counts = new int[4];
            for (int i = 0; i < counts.length; i++) {
                try (NDManager step = root.newSubManager();
                        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray x = step.randomUniform(-1, 1, new Shape(2, 1, 8, 8));
                    AutoencoderKL.Output out = model.forward(new ParameterStore(step, false), x, true, true);
                    gc.backward(loss.compute(x, out.reconstruction(), out.posterior()).total());
                }
                counts[i] = root.getManagedArrays().size();
            }
            assertEquals(
                    List.of(before, before, before, before),
                    List.of(counts[0], counts[1], counts[2], counts[3]),
                    "arrays in the root manager after each step");
        }
    }

    @Test
    void parameterKeysUseLdmNames() {
        AutoencoderKL model = new AutoencoderKL(new AutoencoderConfig(3, 8, List.of(1, 2), 1, 2, true, 0f));
        List<String> keys = model.getParameters().keys();
        for (String expected :
                List.of(
                        "01encoder_01conv_in_weight",
                        "01encoder_02down0_block0_01norm1_gamma",
                        "01encoder_03down0_downsample_01conv_weight",
                        "01encoder_04down1_block0_06nin_shortcut_weight",
                        "01encoder_06mid_attn_1_05proj_out_weight",
                        "01encoder_09conv_out_bias",
                        "02quant_conv_weight",
                        "03post_quant_conv_weight",
                        "04decoder_05up1_block0_02conv1_weight",
                        "04decoder_07up1_upsample_01conv_weight",
                        "04decoder_08up0_block0_06nin_shortcut_weight",
                        "04decoder_11conv_out_weight")) {
            assertTrue(keys.contains(expected), expected + " not in " + keys);
        }
    }

    @Test
    void lastLayerIsTheDecodersConvOutWeight() {
        AutoencoderKL model = new AutoencoderKL(new AutoencoderConfig(3, 8, List.of(1, 2), 1, 2, false, 0f));
        assertSame(model.getParameters().get("04decoder_" + lastChildIndex(model) + "conv_out_weight"), model.lastLayer());
    }

    private static String lastChildIndex(AutoencoderKL model) {
        String key = model.decoder().getChildren().keys().get(model.decoder().getChildren().size() - 1);
        return key.substring(0, 2);
    }
}
