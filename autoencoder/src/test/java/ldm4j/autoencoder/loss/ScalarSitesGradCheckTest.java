package ldm4j.autoencoder.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ldm4j.autoencoder.DiagonalGaussian;
import ldm4j.core.nn.GradCheck;
import org.junit.jupiter.api.Test;

/**
 * Float64 finite-difference checks at every place where the autoencoder's loss multiplies by a
 * scalar under autograd: the posterior's ½·logvar and ½·KL, β·KL, the NLL's ½, the hinge's
 * max(·, 0) and ½. Each runs with a GC and fresh native garbage between forward and backward
 * ({@link GradCheck}), which is what broke DJL's {@code Number} overloads.
 */
class ScalarSitesGradCheckTest {
    private static final Shape MOMENTS = new Shape(2, 4, 2, 2); // (N, 2·z, h, w), z = 2
    private static final Shape IMAGE = new Shape(2, 1, 2, 3);
    private static final double H = 1e-6;
    private static final double TOL = 1e-6;

    private static double[] moments() {
        return GradCheck.uniform(Math.toIntExact(MOMENTS.size()), 1.2, 5);
    }

    @Test
    void posteriorSampleKlAndNllHaveFiniteDifferenceGradients() {
        try (NDManager manager = NDManager.newBaseManager()) {
            double[] noise = GradCheck.uniform(8 * 2, 1.5, 6);
            // std = exp(½·logvar), through the reparameterised sample
            GradCheck.check(manager, m -> DiagonalGaussian.fromMoments(m)
                    .sample(m.getManager().create(noise, new Shape(2, 2, 2, 2))), moments(), MOMENTS, H, TOL);
            GradCheck.check(manager, m -> DiagonalGaussian.fromMoments(m).kl(), moments(), MOMENTS, H, TOL);
            double[] at = GradCheck.uniform(8 * 2, 1.0, 7);
            GradCheck.check(manager, m -> DiagonalGaussian.fromMoments(m)
                    .nll(m.getManager().create(at, new Shape(2, 2, 2, 2))), moments(), MOMENTS, H, TOL);
        }
    }

    @Test
    void betaTimesKlHasTheFiniteDifferenceGradient() {
        try (NDManager manager = NDManager.newBaseManager();
                AutoencoderLoss loss = new AutoencoderLoss(ReconstructionLoss.L2, 0.7)) {
            double[] x = GradCheck.uniform(8 * 2, 1, 8);
            GradCheck.check(manager, m -> {
                NDArray images = m.getManager().create(x, new Shape(2, 2, 2, 2));
                // L2 does not depend on the moments: the whole gradient is β·∂KL
                return loss.compute(images, images.zerosLike(), DiagonalGaussian.fromMoments(m)).total();
            }, moments(), MOMENTS, H, TOL);
        }
    }

    @Test
    void nllReconstructionHasFiniteDifferenceGradientsInReconstructionAndLogVariance() {
        try (NDManager manager = NDManager.newBaseManager()) {
            int n = Math.toIntExact(IMAGE.size());
            double[] x = GradCheck.uniform(n, 1, 9);
            double[] rec = GradCheck.uniform(n, 1, 10);
            GradCheck.check(manager, r -> ReconstructionLoss.NLL.perImage(
                    r.getManager().create(x, IMAGE), r, r.getManager().create(new double[] {0.3})), rec, IMAGE, H, TOL);
            GradCheck.check(manager, s -> ReconstructionLoss.NLL.perImage(
                    s.getManager().create(x, IMAGE), s.getManager().create(rec, IMAGE), s),
                    new double[] {-0.4}, new Shape(1), H, TOL);
        }
    }

    @Test
    void hingeDiscriminatorLossHasFiniteDifferenceGradients() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // Logits on both sides of the hinges at ±1, none within H of a kink.
            double[] logits = {-2.5, -0.5, 0.25, 0.75, 1.5, 3.0, -1.25, 0.1};
            Shape shape = new Shape(2, 1, 2, 2);
            GradCheck.check(manager, l -> {
                NDList halves = l.split(2, 0);
                return HingeLoss.discriminator(halves.get(0), halves.get(1));
            }, logits, shape, H, TOL);
        }
    }
}
