package ldm4j.autoencoder.train;

import java.util.LinkedHashMap;
import java.util.Map;
import ldm4j.autoencoder.loss.Likelihood;

/**
 * Stage-1 evaluation of an autoencoder on a set of test images (see {@link AutoencoderEvaluator}).
 *
 * @param images test images evaluated
 * @param psnr mean per-image PSNR in dB of the mean-decoded reconstructions as uint8 pixels (L = 255)
 * @param ssim mean SSIM of the same pixels, scikit-image's convention (see ReconstructionMetrics; NaN for
 *     images under 11 pixels)
 * @param rateBitsPerImage mean KL(q(z|x) ‖ N(0, I)) per image in bits
 * @param rateBitsPerElement the same per latent element
 * @param activeUnits latent elements with Cov_x(E_q[z]) &gt; 0.01 (Burda et al. 2016)
 * @param activeFraction {@code activeUnits} / (C·h·w)
 * @param channelMean per latent channel, the mean of the posterior means
 * @param channelStd per latent channel, the std of the posterior means
 * @param beta the nominal KL weight β the model was trained with; NaN when the evaluation was not
 *     told the likelihood
 * @param betaEffective the KL's weight relative to the plain error sum named by {@code betaRelativeTo}
 *     ({@link Likelihood#effectiveBeta()}): 2σ²β for {@code l2} with fixed σ, 2·e^s·β for {@code nll}
 *     with its learned s, β for {@code l1}; NaN when unknown
 * @param betaRelativeTo {@value Likelihood#SUM_SQUARED_ERROR} ({@code l2}, {@code nll}) or {@value
 *     Likelihood#SUM_ABSOLUTE_ERROR} ({@code l1}); null when unknown
 * @param negElboNats the negative ELBO per image in nats, −E_q[log p(x|z)] + KL(q ‖ N(0, I)) with β = 1
 *     whatever β trained the model, estimated with one seeded posterior sample per image: a Gaussian
 *     decoder's density with its constant, in the model's [-1, 1] pixel units ({@link Likelihood}). NaN
 *     for {@code l1} (no likelihood scale) or when the likelihood is unknown
 * @param negElboBitsPerDim the same per pixel value in bits, on the 8-bit pixel scale: {@code
 *     negElboNats / (D·ln 2) + log2(127.5)}, the change of variables from [-1, 1] to [0, 255] (no
 *     dequantisation noise is added, so it is a continuous density at the pixel values, not a discrete
 *     likelihood)
 */
public record AutoencoderMetrics(int images, double psnr, double ssim, double rateBitsPerImage,
        double rateBitsPerElement, int activeUnits, double activeFraction, double[] channelMean,
        double[] channelStd, double beta, double betaEffective, String betaRelativeTo, double negElboNats,
        double negElboBitsPerDim) {

    /** CSV column names of {@link #asLogRow()}, in order. */
    public static final java.util.List<String> LOG_COLUMNS = java.util.List.of(
            "test_psnr", "test_ssim", "rate_bits", "rate_bits_per_elem", "active_units", "active_frac",
            "beta_eff", "neg_elbo_bpd");

    /** The scalar metrics under their {@link #LOG_COLUMNS} names, for the training log. */
    public Map<String, Double> asLogRow() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("test_psnr", psnr);
        m.put("test_ssim", ssim);
        m.put("rate_bits", rateBitsPerImage);
        m.put("rate_bits_per_elem", rateBitsPerElement);
        m.put("active_units", (double) activeUnits);
        m.put("active_frac", activeFraction);
        m.put("beta_eff", betaEffective);
        m.put("neg_elbo_bpd", negElboBitsPerDim);
        return m;
    }
}
