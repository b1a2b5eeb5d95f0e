package ldm4j.autoencoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.Test;

class AutoencoderInferenceTest {
    /**
     * Slicing a batch changes no bit of what the encoder and decoder give: the evaluation metrics,
     * the scale factor, the latents and the samples stay what they were with whole batches. 33
     * images make slices of 16 and 17 at the default 16 rows, where a plain cut would leave a
     * slice of one image: libtorch convolves a single small image with another kernel, whose
     * results differ in the last bits.
     */
    @Test
    void slicedPassesEqualOneWholeBatchBitForBit() {
        Engine.getInstance().setRandomSeed(11);
        try (NDManager root = NDManager.newBaseManager()) {
            AutoencoderKL model = new AutoencoderKL(new AutoencoderConfig(1, 8, List.of(1, 2), 1, 2, true, 0f));
            model.initialize(root);
            NDArray x = root.randomUniform(-1, 1, new Shape(33, 1, 16, 16));
            ParameterStore ps = new ParameterStore(root, false);
            DiagonalGaussian whole = model.encode(ps, x, false);
            NDArray wholeImages = model.decode(ps, whole.mean(), false);

            DiagonalGaussian sliced = AutoencoderInference.encode(model, x);
            assertArrayEquals(whole.mean().toFloatArray(), sliced.mean().toFloatArray());
            assertArrayEquals(whole.logvar().toFloatArray(), sliced.logvar().toFloatArray());
            assertArrayEquals(whole.kl().toFloatArray(), sliced.kl().toFloatArray());
            NDArray images = AutoencoderInference.decode(model, whole.mean());
            assertEquals(wholeImages.getShape(), images.getShape());
            assertArrayEquals(wholeImages.toFloatArray(), images.toFloatArray());
        }
    }
}
