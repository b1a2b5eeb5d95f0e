package ldm4j.autoencoder.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import ldm4j.autoencoder.DiagonalGaussian;
import org.junit.jupiter.api.Test;

class AutoencoderLossTest {
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    /** Two images (N=2, C=1, 2×2): image 0 off by 0.5 at one pixel, image 1 off by 1 at all four. */
    private static NDArray[] pair(NDManager m) {
        NDArray x = m.zeros(new Shape(2, 1, 2, 2));
        NDArray rec = m.create(new float[] {0.5f, 0, 0, 0, 1, -1, 1, -1}, new Shape(2, 1, 2, 2));
        return new NDArray[] {x, rec};
    }

    /** A posterior with KL 0 (standard normal). */
    private static DiagonalGaussian standard(NDManager m) {
        return DiagonalGaussian.fromMoments(m.zeros(new Shape(2, 2, 1, 1)));
    }

    @Test
    void recIsSummedOverPixelsAndAveragedOverBatch() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray[] xr = pair(m);
            // L1: per image 0.5 and 4 → mean 2.25. L2: 0.25 and 4 → mean 2.125.
            assertEquals(2.25f, new AutoencoderLoss(ReconstructionLoss.L1, 0).compute(xr[0], xr[1], standard(m)).recValue(), 1e-6);
            assertEquals(2.125f, new AutoencoderLoss(ReconstructionLoss.L2, 0).compute(xr[0], xr[1], standard(m)).recValue(), 1e-6);
            assertEquals(List.of(0.5f, 4f), List.of(ReconstructionLoss.L1.perImage(xr[0], xr[1], null).getFloat(0), ReconstructionLoss.L1.perImage(xr[0], xr[1], null).getFloat(1)));
        }
    }

    @Test
    void nllIsGaussianNegativeLogLikelihoodWithLearnedLogvar() {
        for (float s : new float[] {0f, -1.5f, 2f}) {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray[] xr = pair(m);
                AutoencoderLoss loss = new AutoencoderLoss(ReconstructionLoss.NLL, 0, s);
                loss.initialize(m);
                // Per image Σ ½ [(x − x̂)²/exp(s) + s + log 2π] over its 4 pixels; squared errors 0.25 and 4.
                double img0 = 0.5 * (0.25 / Math.exp(s) + 4 * (s + LOG_2PI));
                double img1 = 0.5 * (4 / Math.exp(s) + 4 * (s + LOG_2PI));
                assertEquals((img0 + img1) / 2, loss.compute(xr[0], xr[1], standard(m)).recValue(), 1e-5, "s=" + s);
            }
        }
    }

    @Test
    void nllLogvarGetsAGradientAndHasItsOptimumAtTheMeanSquaredError() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray[] xr = pair(m);
            // d/ds of Σ ½[e²/exp(s) + s] is 0 at exp(s) = mean e² = (0.25 + 4)/8.
            float optimum = (float) Math.log(4.25 / 8);
            AutoencoderLoss loss = new AutoencoderLoss(ReconstructionLoss.NLL, 0, optimum);
            loss.initialize(m);
            NDArray s = loss.getParameters().get("logvar").getArray();
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(loss.compute(xr[0], xr[1], standard(m)).total());
                assertEquals(0f, s.getGradient().getFloat(), 1e-5);
            }
        }
    }

    @Test
    void betaScalesOnlyTheKlTerm() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray[] xr = pair(m);
            // μ = 1, σ = 1 on 2 latent elements per image: KL = 2 · ½ = 1 per image.
            NDArray moments = m.create(new float[] {1, 1, 0, 0, 1, 1, 0, 0}, new Shape(2, 4, 1, 1));
            DiagonalGaussian posterior = DiagonalGaussian.fromMoments(moments);
            for (double beta : new double[] {0, 1e-6, 0.5, 1}) {
                AutoencoderLoss.Terms t = new AutoencoderLoss(ReconstructionLoss.L1, beta).compute(xr[0], xr[1], posterior);
                assertEquals(1f, t.klValue(), 1e-6);
                assertEquals(2.25f, t.recValue(), 1e-6);
                assertEquals(2.25 + beta, t.totalValue(), 1e-6, "beta=" + beta);
                assertEquals(ai.djl.ndarray.types.DataType.FLOAT32, t.total().getDataType(), "total stays float32");
            }
        }
    }

    @Test
    void onlyNllHasALearnedParameter() {
        assertTrue(new AutoencoderLoss(ReconstructionLoss.L1, 1e-6).getParameters().isEmpty());
        assertTrue(new AutoencoderLoss(ReconstructionLoss.L2, 1e-6).getParameters().isEmpty());
        assertEquals(List.of("logvar"), new AutoencoderLoss(ReconstructionLoss.NLL, 1).getParameters().keys());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new AutoencoderLoss(ReconstructionLoss.L1, -1));
        assertTrue(e.getMessage().startsWith("beta"), e.getMessage());
    }
}
