package ldm4j.autoencoder.train;

import java.util.LinkedHashMap;
import java.util.Map;

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
 */
public record AutoencoderMetrics(int images, double psnr, double ssim, double rateBitsPerImage,
        double rateBitsPerElement, int activeUnits, double activeFraction, double[] channelMean,
        double[] channelStd) {

    /** CSV column names of {@link #asLogRow()}, in order. */
    public static final java.util.List<String> LOG_COLUMNS = java.util.List.of(
            "test_psnr", "test_ssim", "rate_bits", "rate_bits_per_elem", "active_units", "active_frac");

    /** The scalar metrics under their {@link #LOG_COLUMNS} names, for the training log. */
    public Map<String, Double> asLogRow() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("test_psnr", psnr);
        m.put("test_ssim", ssim);
        m.put("rate_bits", rateBitsPerImage);
        m.put("rate_bits_per_elem", rateBitsPerElement);
        m.put("active_units", (double) activeUnits);
        m.put("active_frac", activeFraction);
        return m;
    }
}
