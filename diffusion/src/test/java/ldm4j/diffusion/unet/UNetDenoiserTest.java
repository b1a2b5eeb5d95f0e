package ldm4j.diffusion.unet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class UNetDenoiserTest {
    /**
     * The denoiser runs the UNet on slices of the batch; samplers must see exactly what one call on
     * the whole batch gives, or sampling would depend on the batch size. 70 samples make two slices.
     */
    @Test
    void slicedPredictionEqualsOneWholeBatchBitForBit() {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager m = NDManager.newBaseManager()) {
            UNetConfig cfg = UNetTest.tiny(4, 3);
            UNet unet = new UNet(cfg);
            unet.initialize(m);
            UNetTest.perturbOutputConv(unet, m);
            int n = 70;
            NDArray x = m.randomNormal(new Shape(n, 4, 8, 8));
            long[] t = new long[n];
            long[] labels = new long[n];
            for (int i = 0; i < n; i++) {
                t[i] = (i * 37L) % 1000;
                labels[i] = i % 4; // 3 is the null class
            }
            NDArray steps = m.create(t);
            NDArray classes = m.create(labels);
            NDArray whole = unet.forward(new ParameterStore(m, false), x, steps, classes, false);
            NDArray sliced = new UNetDenoiser(unet, m).predict(x, steps, classes);
            assertEquals(whole.getShape(), sliced.getShape());
            assertArrayEquals(whole.toFloatArray(), sliced.toFloatArray());
        }
    }
}
