package ldm4j.autoencoder.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.initializer.ConstantInitializer;
import ldm4j.autoencoder.DiagonalGaussian;
import ldm4j.core.nn.Scalars;
import ldm4j.core.nn.Tensors;

/**
 * The VAE loss of the autoencoder: per image {@code rec + β·KL}, both averaged over the batch.
 *
 * <ul>
 *   <li>{@code rec}: {@link ReconstructionLoss#perImage}, summed over pixels;
 *   <li>{@code KL}: {@link DiagonalGaussian#kl()}, KL(q(z|x) ‖ N(0, I)) summed over C·H·W.
 * </ul>
 *
 * <p>β = 1e-6 with L1 is the LDM compressor; β = 1 with NLL, or with L2 at a fixed σ, is the
 * pixel-space VAE (ELBO). For L2 the reconstruction term is {@code Σ(x − x̂)² / (2σ²)} with a fixed
 * decoder σ; at the default σ = 1/√2 that factor is exactly 1 and the term is the plain sum of
 * squared errors. What β weighs the KL against depends on the likelihood: see {@link Likelihood}.
 *
 * <p>The learned log-variance s of {@link ReconstructionLoss#NLL} lives here, as in LDM's loss
 * module: a {@link Parameter} named {@code logvar} of shape (1), created by {@link
 * #initialize(NDManager)} on the long-lived manager and listed by {@link #getParameters()}. The
 * trainer must optimise and checkpoint it together with the model's parameters. (LDM itself
 * leaves its {@code logvar} out of the autoencoder's optimiser, so it never moves from its
 * initial value; here it is meant to be trained.) For L1 and L2 the list is empty.
 */
public final class AutoencoderLoss implements AutoCloseable {
    private final ReconstructionLoss reconstruction;
    private final double beta;
    private final double sigma;
    private final double l2Scale; // 1/(2σ²), as the float the step multiplies by
    private final Parameter logvar;

    /**
     * The loss terms of one batch, each a scalar NDArray in the step's manager.
     *
     * @param total {@code rec + β·kl}, the value to differentiate
     * @param rec the reconstruction term, mean over the batch of the per-image sum (for L2 divided by 2σ²)
     * @param kl the KL term before β, mean over the batch of the per-image sum (nats)
     */
    public record Terms(NDArray total, NDArray rec, NDArray kl) {
        /** {@code total} as a float, for logging. */
        public float totalValue() {
            return total.getFloat();
        }

        /** {@code rec} as a float, for logging. */
        public float recValue() {
            return rec.getFloat();
        }

        /** {@code kl} as a float, for logging. */
        public float klValue() {
            return kl.getFloat();
        }
    }

    /** A loss with the NLL log-variance (if any) starting at 0, and σ = 1/√2 for L2. */
    public AutoencoderLoss(ReconstructionLoss reconstruction, double beta) {
        this(reconstruction, beta, 0f);
    }

    /** A loss with σ = 1/√2 for L2 (the plain sum of squared errors). */
    public AutoencoderLoss(ReconstructionLoss reconstruction, double beta, float logvarInit) {
        this(reconstruction, beta, logvarInit, DEFAULT_SIGMA);
    }

    /** σ = 1/√2: {@code Σ(x − x̂)²/(2σ²)} is then the plain sum of squared errors. */
    public static final double DEFAULT_SIGMA = Math.sqrt(0.5);

    /**
     * A loss.
     *
     * @param reconstruction the reconstruction term
     * @param beta the KL weight β ≥ 0
     * @param logvarInit initial value of s for {@link ReconstructionLoss#NLL} (LDM: 0)
     * @param sigma the fixed decoder σ of {@link ReconstructionLoss#L2}, > 0; ignored by the others
     */
    public AutoencoderLoss(ReconstructionLoss reconstruction, double beta, float logvarInit, double sigma) {
        if (reconstruction == null) {
            throw new IllegalArgumentException("reconstruction must be set");
        }
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta must be finite and >= 0, got " + beta);
        }
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma must be finite and > 0, got " + sigma);
        }
        this.reconstruction = reconstruction;
        this.beta = beta;
        this.sigma = sigma;
        this.l2Scale = (float) (1 / (2 * sigma * sigma));
        this.logvar =
                reconstruction.hasLogvar()
                        ? Parameter.builder()
                                .setName("logvar")
                                .setType(Parameter.Type.OTHER)
                                .optShape(new Shape(1))
                                .optInitializer(new ConstantInitializer(logvarInit))
                                .build()
                        : null;
    }

    /** Creates the learned parameters (if any) on {@code manager}, the long-lived root manager. */
    public void initialize(NDManager manager) {
        if (logvar != null && !logvar.isInitialized()) {
            logvar.initialize(manager, DataType.FLOAT32);
        }
    }

    /** The learned parameters: {@code logvar} for NLL, none otherwise. */
    public ParameterList getParameters() {
        ParameterList list = new ParameterList();
        if (logvar != null) {
            list.add("logvar", logvar);
        }
        return list;
    }

    /** The reconstruction term. */
    public ReconstructionLoss reconstruction() {
        return reconstruction;
    }

    /** The KL weight β. */
    public double beta() {
        return beta;
    }

    /** The fixed decoder σ of L2 (1/√2 unless set). */
    public double sigma() {
        return sigma;
    }

    /**
     * The likelihood with the current value of the learned s (NLL), for the effective β and the
     * negative ELBO ({@link Likelihood}).
     */
    public Likelihood likelihood() {
        double s = logvar != null && logvar.isInitialized() ? logvar.getArray().getFloat() : Double.NaN;
        return new Likelihood(reconstruction, beta, sigma, s);
    }

    /**
     * The loss of one batch.
     *
     * @param x images (N, C, H, W); every result lives in its manager (the step's scope)
     * @param reconstruction the decoder's output, (N, C, H, W)
     * @param posterior q(z|x) that the reconstruction was decoded from
     */
    public Terms compute(NDArray x, NDArray reconstruction, DiagonalGaussian posterior) {
        NDArray s = null;
        if (logvar != null) {
            if (!logvar.isInitialized()) {
                throw new IllegalStateException("call initialize(manager) before compute for NLL");
            }
            // A view of the parameter, moved into the step's manager so it does not leak.
            s = Tensors.adopt(logvar.getArray().reshape(new Shape(1)), x);
        }
        NDArray perImage = this.reconstruction.perImage(x, reconstruction, s);
        if (this.reconstruction == ReconstructionLoss.L2 && l2Scale != 1) {
            // 1/(2σ²) as a libtorch-owned scalar (Scalars); at σ = 1/√2 it is 1 and skipped, so the
            // default L2 is bit for bit the plain sum of squared errors.
            perImage = Scalars.mul(perImage, l2Scale);
        }
        NDArray rec = perImage.mean();
        NDArray kl = posterior.kl().mean();
        // β as a libtorch-owned scalar of kl's dtype: autograd keeps it for backward (Scalars).
        NDArray total = rec.add(Scalars.mul(kl, beta));
        return new Terms(total, rec, kl);
    }

    /** Closes the learned parameters' arrays. */
    @Override
    public void close() {
        if (logvar != null) {
            logvar.close();
        }
    }
}
