package ldm4j.autoencoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
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
import ldm4j.core.io.Json;
import org.junit.jupiter.api.Test;

/** The dense-latent variant of {@link AutoencoderKL}: shapes, gradients, memory and its config keys. */
class DenseAutoencoderTest {

    static AutoencoderConfig dense(int channels, List<Integer> mult, int d, Trunk trunk, int size) {
        return new AutoencoderConfig(channels, 8, mult, 1, 2, true, 0f, LatentKind.DENSE, d, trunk, size);
    }

    @Test
    void shapesForSeveralLatentSizesImageSizesAndTrunks() {
        record Case(int channels, int size, List<Integer> mult, int d, Trunk trunk) {}
        List<Case> cases = List.of(
                new Case(1, 28, List.of(1, 2, 2), 2, Trunk.CONV), // f = 4: 7×7 map
                new Case(1, 28, List.of(1, 2), 16, Trunk.CONV),
                new Case(1, 32, List.of(1, 2, 2), 8, Trunk.CONV),
                new Case(3, 32, List.of(1, 2), 3, Trunk.CONV),
                new Case(1, 28, List.of(1), 5, Trunk.NONE),
                new Case(3, 32, List.of(1), 64, Trunk.NONE));
        try (NDManager root = NDManager.newBaseManager()) {
            for (Case c : cases) {
                AutoencoderConfig config = dense(c.channels(), c.mult(), c.d(), c.trunk(), c.size());
                AutoencoderKL model = new AutoencoderKL(config);
                model.initialize(root);
                String where = c.toString();
                try (NDManager step = root.newSubManager()) {
                    ParameterStore ps = new ParameterStore(step, false);
                    NDArray x = step.randomUniform(-1, 1, new Shape(3, c.channels(), c.size(), c.size()));
                    DiagonalGaussian q = model.encode(ps, x, false);
                    Shape latent = new Shape(3, c.d());
                    assertEquals(latent, q.mean().getShape(), where);
                    assertEquals(latent, q.logvar().getShape(), where);
                    assertEquals(new Shape(3), q.kl().getShape(), where);
                    assertEquals(x.getShape(), model.decode(ps, q.sample(), false).getShape(), where);
                    assertEquals(new Shape(c.d()), config.latentShape(c.size(), c.size()), where);
                    assertEquals(List.of(x.getShape(), latent, latent),
                            List.of(model.getOutputShapes(new Shape[] {x.getShape()})), where);
                    assertEquals(List.of(x.getShape(), latent, latent),
                            List.of(model.forward(ps, new NDList(x), false).getShapes()), where);
                    Shape map = c.trunk() == Trunk.CONV
                            ? config.trunkShape(c.size(), c.size())
                            : new Shape(c.channels(), c.size(), c.size());
                    assertEquals(new Shape(map.size(), c.d()),
                            model.latentProjection().weight().getArray().getShape(), where);
                }
                model.getParameters().forEach(p -> p.getValue().close());
            }
        }
    }

    @Test
    void aDenseModelRefusesImagesOfAnotherSize() {
        AutoencoderConfig config = dense(1, List.of(1, 2), 4, Trunk.CONV, 16);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config.latentShape(32, 32));
        assertTrue(e.getMessage().contains("sized for 16×16"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new AutoencoderKL(dense(1, List.of(1, 2), 4, Trunk.CONV, 0)));
    }

    /** One backward pass gives every parameter of both dense forms a finite, non-zero gradient. */
    @Test
    void gradientsReachEveryParameter() {
        Engine.getInstance().setRandomSeed(7);
        for (Trunk trunk : Trunk.values()) {
            try (NDManager root = NDManager.newBaseManager()) {
                AutoencoderKL model = new AutoencoderKL(dense(3, List.of(1, 2), 6, trunk, 8));
                model.initialize(root);
                AutoencoderLoss loss = new AutoencoderLoss(ReconstructionLoss.NLL, 1.0);
                loss.initialize(root);
                List<Pair<String, Parameter>> all = new ArrayList<>();
                model.getParameters().forEach(all::add);
                loss.getParameters().forEach(all::add);
                assertTrue(all.size() >= (trunk == Trunk.CONV ? 50 : 5), trunk + ": " + all.size() + " parameters");
                List<String> dead = new ArrayList<>();
                int before = root.getManagedArrays().size();
                try (NDManager step = root.newSubManager();
                        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray x = step.randomUniform(-1, 1, new Shape(2, 3, 8, 8));
                    AutoencoderKL.Output out = model.forward(new ParameterStore(step, false), x, true, true);
                    System.gc();
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
                assertEquals(List.of(), dead, trunk + ": parameters with zero or non-finite gradient");
                assertEquals(before, root.getManagedArrays().size(), trunk + ": arrays left in the root manager");
            }
        }
    }

    @Test
    void parameterKeysNameTheDenseBlocks() {
        List<String> keys = new AutoencoderKL(dense(1, List.of(1), 4, Trunk.NONE, 8)).getParameters().keys();
        assertEquals(List.of("01latent_head_01linear_weight", "01latent_head_01linear_bias",
                "02latent_proj_01linear_weight", "02latent_proj_01linear_bias"), keys);
    }

    @Test
    void aConvConfigsJsonIsWhatItWasBeforeTheDenseKeys() throws Exception {
        AutoencoderConfig conv = new AutoencoderConfig(1, 32, List.of(1, 2, 2), 1, 4, true, 0f);
        assertEquals("{\"in_channels\":1,\"ch\":32,\"ch_mult\":[1,2,2],\"num_res_blocks\":1,\"z_channels\":4,"
                + "\"attention\":true,\"dropout\":0.0}", Json.MAPPER.writer().withoutFeatures(
                        com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(conv));
        // and an old config without the keys reads as conv
        AutoencoderConfig read = Json.MAPPER.readValue("{\"in_channels\":1,\"ch\":32,\"ch_mult\":[1,2,2],"
                + "\"num_res_blocks\":1,\"z_channels\":4,\"attention\":true,\"dropout\":0.0}", AutoencoderConfig.class);
        assertEquals(conv, read);
    }

    @Test
    void aDenseConfigRoundTripsThroughJson() throws Exception {
        AutoencoderConfig d = dense(1, List.of(1, 2), 0, Trunk.NONE, 32);
        assertEquals(AutoencoderConfig.DEFAULT_LATENT_DIM, d.latentDim());
        String json = Json.MAPPER.writeValueAsString(d);
        assertTrue(json.contains("\"latent\" : \"dense\"") && json.contains("\"trunk\" : \"none\"")
                && json.contains("\"image_size\" : 32"), json);
        assertEquals(d, Json.MAPPER.readValue(json, AutoencoderConfig.class));
    }

    @Test
    void denseOnlyKeysAreRefusedForAConvLatent() {
        assertThrows(IllegalArgumentException.class, () -> new AutoencoderConfig(1, 8, List.of(1), 1, 2, true, 0f,
                LatentKind.CONV, 8, Trunk.CONV, 0));
        assertThrows(IllegalArgumentException.class, () -> new AutoencoderConfig(1, 8, List.of(1), 1, 2, true, 0f,
                LatentKind.CONV, 0, Trunk.NONE, 0));
        assertThrows(IllegalArgumentException.class, () -> new AutoencoderConfig(1, 8, List.of(1), 1, 2, true, 0f,
                LatentKind.CONV, 0, Trunk.CONV, 32));
        assertThrows(IllegalArgumentException.class, () -> dense(1, List.of(1, 2, 2), 8, Trunk.CONV, 30));
        assertEquals(30, dense(1, List.of(1, 2, 2), 8, Trunk.NONE, 30).imageSize());
    }
}
