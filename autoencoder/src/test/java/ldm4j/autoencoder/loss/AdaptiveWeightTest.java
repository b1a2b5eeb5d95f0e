package ldm4j.autoencoder.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.PairList;
import org.junit.jupiter.api.Test;

/** The adaptive GAN weight and the two-pass gradient it builds, against hand-computed gradients. */
class AdaptiveWeightTest {
    @Test
    void ratioIsClampedAndScaledByDiscWeight() {
        assertEquals(0.5 * 3 / (4 + 1e-4), AdaptiveWeight.of(3, 4, 0.5), 1e-12);
        assertEquals(1e4 * 0.5, AdaptiveWeight.of(3, 0, 0.5), 1e-9); // 3/1e-4 = 3e4 → clamped
        assertEquals(0, AdaptiveWeight.of(0, 4, 0.5));
    }

    /**
     * Two parameters: the "last layer" w (3 values) in both losses, u (2 values) only in the VAE
     * loss. With vae = Σ (w − a)² + Σ u² and g = Σ c ⊙ w: ∇_w vae = 2(w − a), ∇_w g = c, ∇_u g = 0, so
     * λ = ‖2(w − a)‖ / (‖c‖ + 1e-4) · d, and the gradients must end as 2(w − a) + λc and 2u.
     */
    @Test
    void twoPassGradientMatchesHandComputation() {
        float[] w0 = {1f, -2f, 0.5f};
        float[] a = {0.5f, 1f, 0.5f};
        float[] c = {3f, 0f, -4f};
        float[] u0 = {0.25f, -1f};
        double d = 0.5;
        try (NDManager root = NDManager.newBaseManager()) {
            Parameter w = param(root, "w", w0);
            Parameter u = param(root, "u", u0);
            PairList<String, Parameter> params = new PairList<>();
            params.add("w", w);
            params.add("u", u);
            AdaptiveWeight.Result r;
            try (NDManager scope = root.newSubManager()) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray wa = w.getArray();
                    NDArray vae = wa.sub(scope.create(a)).square().sum().add(u.getArray().square().sum());
                    NDArray g = wa.mul(scope.create(c)).sum();
                    vae.attach(scope);
                    g.attach(scope);
                    r = AdaptiveWeight.backward(vae, g, params, w, d, gc, scope);
                }
                double recNorm = 0;
                for (int i = 0; i < 3; i++) {
                    recNorm += Math.pow(2 * (w0[i] - a[i]), 2);
                }
                recNorm = Math.sqrt(recNorm);
                double lambda = recNorm / (5 + 1e-4) * d; // ‖c‖ = 5
                assertEquals(recNorm, r.recNorm(), 1e-5);
                assertEquals(5, r.genNorm(), 1e-5);
                assertEquals(lambda, r.weight(), 1e-6);
                float[] gw = new float[3];
                for (int i = 0; i < 3; i++) {
                    gw[i] = (float) (2 * (w0[i] - a[i]) + lambda * c[i]);
                }
                NDArray gradW = w.getArray().getGradient();
                NDArray gradU = u.getArray().getGradient();
                gradW.attach(scope);
                gradU.attach(scope);
                assertArrayEquals(gw, gradW.toFloatArray(), 1e-5f);
                assertArrayEquals(new float[] {2 * u0[0], 2 * u0[1]}, gradU.toFloatArray(), 1e-6f);
            }
        }
    }

    private static Parameter param(NDManager root, String name, float[] values) {
        Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(values.length)).build();
        p.setInitializer((m, shape, type) -> m.create(values));
        p.initialize(root, DataType.FLOAT32);
        return p;
    }
}
