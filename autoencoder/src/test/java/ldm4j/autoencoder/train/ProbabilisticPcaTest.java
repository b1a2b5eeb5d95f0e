package ldm4j.autoencoder.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import ldm4j.autoencoder.AutoencoderConfig;
import ldm4j.autoencoder.LatentKind;
import ldm4j.autoencoder.Trunk;
import ldm4j.autoencoder.loss.ReconstructionLoss;
import ldm4j.core.train.LrSchedule;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.junit.jupiter.api.Test;

/**
 * The linear-Gaussian check of the dense VAE (probabilistic PCA, Tipping &amp; Bishop 1999; Lucas et
 * al. 2019, "Don't Blame the ELBO!"). Data x = A·u + ε in 16 dimensions, u ~ N(0, I₂), ε ~ N(0, s²I).
 * A dense VAE with no trunk (x̂ = W·z + b, a linear encoder to (μ, log σ²)), d = 2 and the fixed
 * decoder σ = s, trained with the real training step, must reach pPCA's maximum-likelihood decoder:
 *
 * <ul>
 *   <li>the columns of W span the data's principal subspace (principal angles near 0);
 *   <li>W's singular values are √(λᵢ − σ²), λᵢ the covariance's top eigenvalues.
 * </ul>
 *
 * The second pins the scale, which only a right KL and reparameterisation set: without the KL's
 * log-variance term the posterior variance collapses and W grows without bound; without the noise of
 * the reparameterisation (decoding μ) nothing stops the same growth.
 */
class ProbabilisticPcaTest {
    private static final int D = 16;
    private static final int RANK = 2;
    private static final int SIDE = 4; // 16 values as a 1×4×4 image
    private static final double NOISE = 0.5;
    private static final int SAMPLES = 4000;
    private static final int BATCH = 1000;
    private static final int STEPS = 1000;

    @Test
    void aLinearVaeRecoversThePrincipalSubspaceAndItsScale() {
        Random rng = new Random(16);
        // A = Q · diag(2, 1.2) with Q a random 16×2 orthonormal basis
        double[][] g = new double[D][RANK];
        for (double[] row : g) {
            for (int j = 0; j < RANK; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        RealMatrix q = new QRDecomposition(new Array2DRowRealMatrix(g)).getQ().getSubMatrix(0, D - 1, 0, RANK - 1);
        double[] scales = {2.0, 1.2};
        float[] data = new float[SAMPLES * D];
        for (int n = 0; n < SAMPLES; n++) {
            double u0 = rng.nextGaussian();
            double u1 = rng.nextGaussian();
            for (int i = 0; i < D; i++) {
                data[n * D + i] = (float) (q.getEntry(i, 0) * scales[0] * u0 + q.getEntry(i, 1) * scales[1] * u1
                        + NOISE * rng.nextGaussian());
            }
        }
        // the empirical covariance's top eigenvectors and eigenvalues: what pPCA fits
        double[][] cov = new double[D][D];
        double[] mean = new double[D];
        for (int n = 0; n < SAMPLES; n++) {
            for (int i = 0; i < D; i++) {
                mean[i] += data[n * D + i] / (double) SAMPLES;
            }
        }
        for (int n = 0; n < SAMPLES; n++) {
            for (int i = 0; i < D; i++) {
                for (int j = 0; j < D; j++) {
                    cov[i][j] += (data[n * D + i] - mean[i]) * (data[n * D + j] - mean[j]) / SAMPLES;
                }
            }
        }
        EigenDecomposition eig = new EigenDecomposition(new Array2DRowRealMatrix(cov));
        double[] lambda = eig.getRealEigenvalues(); // descending for a symmetric matrix
        RealMatrix principal = new Array2DRowRealMatrix(D, RANK);
        for (int j = 0; j < RANK; j++) {
            principal.setColumnVector(j, eig.getEigenvector(j));
        }

        AutoencoderConfig model = new AutoencoderConfig(1, 8, List.of(1), 1, 1, false, 0f, LatentKind.DENSE, RANK,
                Trunk.NONE, SIDE);
        AutoencoderTrainConfig config = AutoencoderTrainConfig.resolve(AutoencoderTrainConfig.defaults(1), null,
                Map.ofEntries(Map.entry("model", model), Map.entry("loss", ReconstructionLoss.L2),
                        Map.entry("sigma", NOISE), Map.entry("beta", 1.0), Map.entry("steps", (long) STEPS),
                        Map.entry("batch_size", BATCH), Map.entry("lr", 5e-2), Map.entry("min_lr", 2e-3),
                        Map.entry("lr_decay", LrSchedule.Decay.COSINE), Map.entry("warmup", 20L),
                        Map.entry("clip", 1e9), Map.entry("seed", 3L)));
        double[][] w = new double[D][RANK];
        try (NDManager root = NDManager.newBaseManager()) {
            AutoencoderStep step = new AutoencoderStep(config, root, SIDE);
            Random order = new Random(4);
            float[] batch = new float[BATCH * D];
            for (long s = 0; s < STEPS; s++) {
                for (int b = 0; b < BATCH; b++) {
                    System.arraycopy(data, order.nextInt(SAMPLES) * D, batch, b * D, D);
                }
                try (NDManager scope = root.newSubManager()) {
                    NDArray x = scope.create(batch, new Shape(BATCH, 1, SIDE, SIDE));
                    Map<String, Double> row = step.run(x, s, scope);
                    assertEquals(0.0, row.get("skipped"), "step " + s + " was skipped");
                }
            }
            NDArray weight = step.model().latentProjection().weight().getArray();
            assertEquals(new Shape(D, RANK), weight.getShape());
            float[] flat = weight.toFloatArray();
            for (int i = 0; i < D; i++) {
                for (int j = 0; j < RANK; j++) {
                    w[i][j] = flat[i * RANK + j];
                }
            }
            step.close();
        }
        RealMatrix decoder = new Array2DRowRealMatrix(w);
        RealMatrix basis = new QRDecomposition(decoder).getQ().getSubMatrix(0, D - 1, 0, RANK - 1);
        // cosines of the principal angles between span(W) and the principal subspace
        double[] cosines = new SingularValueDecomposition(principal.transpose().multiply(basis)).getSingularValues();
        double[] angles = Arrays.stream(cosines).map(c -> Math.toDegrees(Math.acos(Math.min(1, c)))).toArray();
        assertTrue(angles[0] < 5 && angles[1] < 5, "principal angles " + Arrays.toString(angles) + "°");
        double[] singular = new SingularValueDecomposition(decoder).getSingularValues();
        for (int j = 0; j < RANK; j++) {
            double expected = Math.sqrt(lambda[j] - NOISE * NOISE);
            assertEquals(expected, singular[j], 0.05 * expected,
                    "singular value " + j + " of W: " + Arrays.toString(singular) + ", pPCA's " + expected);
        }
    }
}
