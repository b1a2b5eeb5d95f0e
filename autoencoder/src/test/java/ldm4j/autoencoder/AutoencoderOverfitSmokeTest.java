package ldm4j.autoencoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import ldm4j.autoencoder.loss.AutoencoderLoss;
import ldm4j.autoencoder.loss.ReconstructionLoss;
import org.junit.jupiter.api.Test;

/**
 * A smoke test that the whole model can learn: a tiny autoencoder memorises eight images.
 *
 * <p>It runs on the surefire JVM's one libtorch thread ({@code test.threads}): on a busy 2-core
 * machine two threads made a step ~10× slower. Like the trainers, it never applies
 * a step with non-finite gradients, and it asserts that there was none: with every scalar a
 * libtorch-owned tensor (docs/djl-rules.md, rule 2) every gradient is exact.
 */
class AutoencoderOverfitSmokeTest {
    private static final int STEPS = 200;

    @Test
    void l1LossFallsTenfoldWhenOverfittingEightImages() {
        Engine.getInstance().setRandomSeed(42);
        try (NDManager root = NDManager.newBaseManager()) {
            AutoencoderKL model = new AutoencoderKL(new AutoencoderConfig(1, 16, List.of(1, 2), 1, 4, true, 0f));
            model.initialize(root);
            AutoencoderLoss loss = new AutoencoderLoss(ReconstructionLoss.L1, 1e-6);
            Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(2e-3f)).build();
            NDArray images = syntheticImages(root);
            float first = Float.NaN;
            float last = Float.NaN;
            int skipped = 0;
            for (int step = 0; step < STEPS; step++) {
                try (NDManager scope = root.newSubManager()) {
                    NDArray x = images.duplicate();
                    x.attach(scope);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        AutoencoderKL.Output out = model.forward(new ParameterStore(scope, false), x, true, true);
                        AutoencoderLoss.Terms terms = loss.compute(x, out.reconstruction(), out.posterior());
                        gc.backward(terms.total());
                        float perPixel = terms.recValue() / (16 * 16); // per-pixel L1
                        if (step == 0) {
                            first = perPixel;
                        }
                        last = perPixel;
                        List<NDArray> grads = new ArrayList<>();
                        boolean finite = true;
                        for (Pair<String, Parameter> p : model.getParameters()) {
                            NDArray grad = p.getValue().getArray().getGradient();
                            grad.attach(scope);
                            grads.add(grad);
                            finite &= Float.isFinite(grad.sum().getFloat());
                        }
                        int i = 0;
                        for (Pair<String, Parameter> p : model.getParameters()) {
                            NDArray weight = p.getValue().getArray();
                            if (finite) {
                                adam.update(p.getValue().getId(), weight, grads.get(i++)); // also zeroes the gradient
                            } else {
                                JniUtils.zeroGrad((PtNDArray) weight);
                            }
                        }
                        skipped += finite ? 0 : 1;
                    }
                }
            }
            assertEquals(0, skipped, "steps with non-finite gradients");
            assertTrue(last < first / 10, "per-pixel L1 went from " + first + " to " + last);
        }
    }

    /** Eight 16×16 grey images in [-1, 1]: bars, squares and gradients at different places. */
    private static NDArray syntheticImages(NDManager m) {
        float[] data = new float[8 * 16 * 16];
        for (int n = 0; n < 8; n++) {
            for (int r = 0; r < 16; r++) {
                for (int c = 0; c < 16; c++) {
                    float v =
                            switch (n % 4) {
                                case 0 -> (r / 4 + n / 4) % 2 == 0 ? 1 : -1; // horizontal bars
                                case 1 -> (c / (2 + n / 4)) % 2 == 0 ? 1 : -1; // vertical bars
                                case 2 -> Math.abs(r - 5 - 4 * (n / 4)) < 3 && Math.abs(c - 8) < 4 ? 1 : -1; // square
                                default -> (r + c) / 15f - 1 + (n / 4) * 0.2f; // diagonal gradient
                            };
                    data[(n * 16 + r) * 16 + c] = Math.max(-1, Math.min(1, v));
                }
            }
        }
        return m.create(data, new Shape(8, 1, 16, 16));
    }
}
