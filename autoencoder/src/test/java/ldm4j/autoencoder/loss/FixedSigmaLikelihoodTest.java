package ldm4j.autoencoder.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ldm4j.autoencoder.DiagonalGaussian;
import ldm4j.core.nn.Scalars;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

/** The fixed-σ Gaussian decoder of {@code l2}, the effective β and the likelihood's constant. */
class FixedSigmaLikelihoodTest {
    private static final int N = 2;
    private static final Shape IMAGE = new Shape(N, 1, 2, 3);
    private static final Shape LATENT = new Shape(N, 3);

    private static float[] values(int n, long seed, double scale) {
        java.util.Random r = new java.util.Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (scale * r.nextGaussian());
        }
        return v;
    }

    /** σ = 1/√2 is today's l2, ‖x − x̂‖² + β·KL, bit for bit (total, rec and kl). */
    @Test
    void defaultSigmaIsTodaysL2BitForBit() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(values(12, 1, 0.6), IMAGE);
            NDArray xHat = m.create(values(12, 2, 0.6), IMAGE);
            DiagonalGaussian q = new DiagonalGaussian(m.create(values(6, 3, 1), LATENT), m.create(values(6, 4, 1), LATENT));
            double beta = 0.37;
            // today's formula, as AutoencoderLoss computed it before σ existed
            NDArray rec = ReconstructionLoss.L2.perImage(x, xHat, null).mean();
            NDArray kl = q.kl().mean();
            NDArray total = rec.add(Scalars.mul(kl, beta));
            for (AutoencoderLoss loss : new AutoencoderLoss[] {new AutoencoderLoss(ReconstructionLoss.L2, beta),
                    new AutoencoderLoss(ReconstructionLoss.L2, beta, 0f, Math.sqrt(0.5)),
                    new AutoencoderLoss(ReconstructionLoss.L2, beta, 0f, 1 / Math.sqrt(2))}) {
                AutoencoderLoss.Terms t = loss.compute(x, xHat, q);
                assertEquals(Float.floatToRawIntBits(total.getFloat()), Float.floatToRawIntBits(t.totalValue()));
                assertEquals(Float.floatToRawIntBits(rec.getFloat()), Float.floatToRawIntBits(t.recValue()));
                assertEquals(Float.floatToRawIntBits(kl.getFloat()), Float.floatToRawIntBits(t.klValue()));
                assertEquals(beta, loss.likelihood().effectiveBeta(), 1e-15, "at σ = 1/√2 the effective β is β");
            }
        }
    }

    /**
     * With a fixed σ and β = 1 the loss is the negative ELBO of a Gaussian decoder without its
     * constant, computed here by hand: Σ(x − x̂)²/(2σ²) + Σ ½(μ² + e^v − 1 − v), averaged over images;
     * and {@link Likelihood#negativeLogLikelihood} adds exactly the constant (D/2)·log(2πσ²), checked
     * against Commons Math's normal log-density pixel by pixel.
     */
    @Test
    void lossIsTheNegativeElboComputedByHand() {
        double sigma = 0.3;
        float[] xs = values(12, 5, 0.6);
        float[] rs = values(12, 6, 0.6);
        float[] mu = values(6, 7, 1);
        float[] lv = values(6, 8, 0.5);
        try (NDManager m = NDManager.newBaseManager()) {
            AutoencoderLoss loss = new AutoencoderLoss(ReconstructionLoss.L2, 1.0, 0f, sigma);
            AutoencoderLoss.Terms t = loss.compute(m.create(xs, IMAGE), m.create(rs, IMAGE),
                    new DiagonalGaussian(m.create(mu, LATENT), m.create(lv, LATENT)));
            double recByHand = 0;
            double klByHand = 0;
            double nllByHand = 0;
            NormalDistribution unit = new NormalDistribution(0, 1);
            for (int i = 0; i < 12; i++) {
                double e = xs[i] - rs[i];
                recByHand += e * e / (2 * sigma * sigma);
                nllByHand -= unit.logDensity(e / sigma) - Math.log(sigma); // log N(x; x̂, σ²)
            }
            for (int j = 0; j < 6; j++) {
                klByHand += 0.5 * (mu[j] * mu[j] + Math.exp(lv[j]) - 1 - lv[j]);
            }
            assertEquals(recByHand / N, t.recValue(), 1e-4 * recByHand);
            assertEquals(klByHand / N, t.klValue(), 1e-5 * klByHand);
            assertEquals((recByHand + klByHand) / N, t.totalValue(), 1e-4 * (recByHand + klByHand));
            // the constant: per image D = 6 values
            Likelihood l = loss.likelihood();
            double sse0 = 0;
            double sse1 = 0;
            for (int i = 0; i < 6; i++) {
                sse0 += (xs[i] - rs[i]) * (xs[i] - rs[i]);
                sse1 += (xs[6 + i] - rs[6 + i]) * (xs[6 + i] - rs[6 + i]);
            }
            assertEquals(nllByHand, l.negativeLogLikelihood(sse0, 6) + l.negativeLogLikelihood(sse1, 6), 1e-6);
        }
    }

    /**
     * The effective β is the KL's weight once the loss is rescaled to weigh the plain sum of squared
     * errors by 1: for l2, 2σ²·loss = SSE + 2σ²β·KL; for nll, 2e^s·(loss − ½D(s + log 2π)) = SSE +
     * 2e^s β·KL.
     */
    @Test
    void effectiveBetaIsTheKlWeightAgainstThePlainSumOfSquaredErrors() {
        double beta = 0.8;
        float s = 0.7f;
        double sigma = 0.2;
        float[] xs = values(12, 9, 0.6);
        float[] rs = values(12, 10, 0.6);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(xs, IMAGE);
            NDArray xHat = m.create(rs, IMAGE);
            DiagonalGaussian q = new DiagonalGaussian(m.create(values(6, 11, 1), LATENT), m.create(values(6, 12, 0.5), LATENT));
            double sse = ReconstructionLoss.L2.perImage(x, xHat, null).mean().getFloat();
            double kl = q.kl().mean().getFloat();

            AutoencoderLoss l2 = new AutoencoderLoss(ReconstructionLoss.L2, beta, 0f, sigma);
            assertEquals(2 * sigma * sigma * beta, l2.likelihood().effectiveBeta(), 1e-12);
            assertEquals(Likelihood.SUM_SQUARED_ERROR, l2.likelihood().betaRelativeTo());
            double l2Total = l2.compute(x, xHat, q).totalValue();
            assertEquals(sse + l2.likelihood().effectiveBeta() * kl, 2 * sigma * sigma * l2Total, 1e-4 * sse);

            AutoencoderLoss nll = new AutoencoderLoss(ReconstructionLoss.NLL, beta, s);
            nll.initialize(m);
            assertEquals(2 * Math.exp(s) * beta, nll.likelihood().effectiveBeta(), 1e-6);
            assertEquals(Likelihood.SUM_SQUARED_ERROR, nll.likelihood().betaRelativeTo());
            double nllTotal = nll.compute(x, xHat, q).totalValue();
            double constant = 0.5 * 6 * (s + Math.log(2 * Math.PI));
            assertEquals(sse + nll.likelihood().effectiveBeta() * kl, 2 * Math.exp(s) * (nllTotal - constant),
                    1e-4 * sse);
            nll.close();

            Likelihood l1 = new AutoencoderLoss(ReconstructionLoss.L1, beta).likelihood();
            assertEquals(beta, l1.effectiveBeta());
            assertEquals(Likelihood.SUM_ABSOLUTE_ERROR, l1.betaRelativeTo());
            assertEquals(Double.NaN, l1.negativeLogLikelihood(1.0, 6));
        }
    }

    @Test
    void sigmaMustBePositiveAndFinite() {
        assertThrows(IllegalArgumentException.class, () -> new AutoencoderLoss(ReconstructionLoss.L2, 1, 0f, 0));
        assertThrows(IllegalArgumentException.class, () -> new AutoencoderLoss(ReconstructionLoss.L2, 1, 0f, -1));
        assertThrows(IllegalArgumentException.class,
                () -> new AutoencoderLoss(ReconstructionLoss.L2, 1, 0f, Double.POSITIVE_INFINITY));
    }
}
