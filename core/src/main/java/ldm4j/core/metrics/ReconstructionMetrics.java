package ldm4j.core.metrics;

/**
 * PSNR and SSIM between images and their reconstructions, on flat row-major N × C × H × W arrays:
 * uint8 pixels (data range L = 255) or floats in [0, L] with 0 for black.
 *
 * <p>The convention is scikit-image's, and {@code scripts/ssim_reference.py} checks it against
 * scikit-image itself: per image
 * <pre>
 * peak_signal_noise_ratio(a, b, data_range=L)
 * structural_similarity(a, b, gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
 *                       data_range=L, channel_axis=0)
 * </pre>
 * then the mean over images. Callers score what users see: the uint8 pixels of the PNG/npy.
 *
 * <p><b>PSNR</b> is the mean over images of the per-image PSNR, 10·log₁₀(L² / MSEᵢ) with MSEᵢ over
 * the image's C·H·W values, as most autoencoder papers report it; it is not the PSNR of the mean
 * MSE, which is lower because log is concave. An image reconstructed exactly has MSE 0 and PSNR
 * +∞ (as in scikit-image), and then so has the mean; callers writing JSON must map it.
 *
 * <p><b>SSIM</b> is Wang, Bovik, Sheikh and Simoncelli 2004, "Image Quality Assessment: From Error
 * Visibility to Structural Similarity", eq. 13, with their constants: an 11 × 11 Gaussian window
 * with σ = 1.5 (normalised to sum 1), K₁ = 0.01, K₂ = 0.03, C₁ = (K₁L)², C₂ = (K₂L)². Local
 * moments are window-weighted means, variances and covariance (σ² = E_w[x²] − μ², no N − 1
 * correction), over the 'valid' region only ((H − 10) × (W − 10); scikit-image filters the whole
 * image and crops the 5-pixel border, which is the same). The SSIM map is averaged per channel,
 * then over channels and images (their eq. 17). H and W must be at least 11; scikit-image refuses
 * smaller images too.
 *
 * <p>SSIM is not shift-invariant: its luminance term (2μₓμ_y + C₁) / (μₓ² + μ_y² + C₁) takes 0 as
 * black. Scored in the model's [−1, 1] with L = 2, a black background sits at μ = −1, where a
 * small error in μ barely moves the term, and SSIM comes out too high (0.8795 instead of 0.8595 for
 * the demo's 16 reconstructions). So the float inputs must lie in [0, L]; others are refused.
 */
public final class ReconstructionMetrics {
    /** Side of the SSIM window. */
    public static final int SSIM_WINDOW = 11;
    /** Standard deviation of the SSIM window's Gaussian, in pixels. */
    public static final double SSIM_SIGMA = 1.5;
    /** Luminance stabiliser: C₁ = (K₁·L)². */
    public static final double SSIM_K1 = 0.01;
    /** Contrast stabiliser: C₂ = (K₂·L)². */
    public static final double SSIM_K2 = 0.03;
    /** L of uint8 pixels. */
    public static final double UINT8_RANGE = 255;

    private static final double[] WINDOW = gaussianWindow(SSIM_WINDOW, SSIM_SIGMA);

    private ReconstructionMetrics() {}

    /** PSNR in dB of one MSE: 10·log₁₀(L² / mse); +∞ for mse = 0. */
    public static double psnrOfMse(double mse, double dataRange) {
        requireRange(dataRange);
        if (!(mse >= 0)) {
            throw new IllegalArgumentException("mse must be >= 0, got " + mse);
        }
        return 10 * Math.log10(dataRange * dataRange / mse);
    }

    /**
     * Mean over the N images of per-image PSNR in dB (see the class notes; +∞ when any image
     * matches exactly).
     */
    public static double psnr(float[] a, float[] b, int n, int c, int h, int w, double dataRange) {
        ImageShape shape = new ImageShape(n, c, h, w);
        shape.requireLength(a.length, "a");
        shape.requireLength(b.length, "b");
        requireRange(dataRange);
        int size = shape.imageSize();
        double sum = 0;
        for (int img = 0; img < n; img++) {
            double se = 0;
            for (int i = img * size, end = i + size; i < end; i++) {
                double e = (double) a[i] - b[i];
                se += e * e;
            }
            sum += psnrOfMse(se / size, dataRange);
        }
        return sum / n;
    }

    /** {@link #psnr(float[], float[], int, int, int, int, double)} of uint8 pixels, L = 255. */
    public static double psnr(byte[] a, byte[] b, int n, int c, int h, int w) {
        return psnr(pixels(a), pixels(b), n, c, h, w, UINT8_RANGE);
    }

    /**
     * Mean SSIM over images and channels, in [−1, 1]; 1 only for identical images.
     *
     * @throws IllegalArgumentException when a value lies outside [0, dataRange] (see the class notes)
     */
    public static double ssim(float[] a, float[] b, int n, int c, int h, int w, double dataRange) {
        ImageShape shape = new ImageShape(n, c, h, w);
        shape.requireLength(a.length, "a");
        shape.requireLength(b.length, "b");
        requireRange(dataRange);
        if (h < SSIM_WINDOW || w < SSIM_WINDOW) {
            throw new IllegalArgumentException("SSIM's " + SSIM_WINDOW + "×" + SSIM_WINDOW + " window needs H, W >= "
                    + SSIM_WINDOW + ", got " + shape);
        }
        requireWithin(a, dataRange, "a");
        requireWithin(b, dataRange, "b");
        double c1 = Math.pow(SSIM_K1 * dataRange, 2);
        double c2 = Math.pow(SSIM_K2 * dataRange, 2);
        int planes = n * c;
        double sum = 0;
        for (int p = 0; p < planes; p++) {
            sum += planeSsim(a, b, p * shape.planeSize(), h, w, c1, c2);
        }
        return sum / planes;
    }

    /** {@link #ssim(float[], float[], int, int, int, int, double)} of uint8 pixels, L = 255. */
    public static double ssim(byte[] a, byte[] b, int n, int c, int h, int w) {
        return ssim(pixels(a), pixels(b), n, c, h, w, UINT8_RANGE);
    }

    /**
     * Mean of the SSIM map of one H × W plane. The five local moments are filtered separably:
     * rows first (H × W′), then columns (H′ × W′), with W′ = W − 10 and H′ = H − 10.
     */
    private static double planeSsim(float[] a, float[] b, int base, int h, int w, double c1, double c2) {
        int win = WINDOW.length;
        int ow = w - win + 1;
        int oh = h - win + 1;
        // Row pass: rows[m][y * ow + x] for the moments x, y, x², y², xy.
        double[][] rows = new double[5][h * ow];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < ow; x++) {
                double mx = 0, my = 0, mxx = 0, myy = 0, mxy = 0;
                for (int k = 0; k < win; k++) {
                    int i = base + y * w + x + k;
                    double g = WINDOW[k];
                    double va = a[i];
                    double vb = b[i];
                    mx += g * va;
                    my += g * vb;
                    mxx += g * va * va;
                    myy += g * vb * vb;
                    mxy += g * va * vb;
                }
                int o = y * ow + x;
                rows[0][o] = mx;
                rows[1][o] = my;
                rows[2][o] = mxx;
                rows[3][o] = myy;
                rows[4][o] = mxy;
            }
        }
        double sum = 0;
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                double mx = 0, my = 0, mxx = 0, myy = 0, mxy = 0;
                for (int k = 0; k < win; k++) {
                    int o = (y + k) * ow + x;
                    double g = WINDOW[k];
                    mx += g * rows[0][o];
                    my += g * rows[1][o];
                    mxx += g * rows[2][o];
                    myy += g * rows[3][o];
                    mxy += g * rows[4][o];
                }
                double varX = mxx - mx * mx;
                double varY = myy - my * my;
                double cov = mxy - mx * my;
                sum += (2 * mx * my + c1) * (2 * cov + c2) / ((mx * mx + my * my + c1) * (varX + varY + c2));
            }
        }
        return sum / ((double) oh * ow);
    }

    /** The 1-D Gaussian g[k] ∝ exp(−(k − r)² / 2σ²), k = 0 … 2r, normalised to sum 1. */
    static double[] gaussianWindow(int size, double sigma) {
        double[] g = new double[size];
        double r = (size - 1) / 2.0;
        double total = 0;
        for (int k = 0; k < size; k++) {
            g[k] = Math.exp(-(k - r) * (k - r) / (2 * sigma * sigma));
            total += g[k];
        }
        for (int k = 0; k < size; k++) {
            g[k] /= total;
        }
        return g;
    }

    /** uint8 pixels as floats 0 … 255 (exact). */
    private static float[] pixels(byte[] uint8) {
        float[] x = new float[uint8.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = uint8[i] & 0xFF;
        }
        return x;
    }

    private static void requireWithin(float[] x, double dataRange, String what) {
        for (int i = 0; i < x.length; i++) {
            if (!(x[i] >= 0 && x[i] <= dataRange)) {
                throw new IllegalArgumentException("SSIM needs values in [0, " + dataRange + "] with 0 for black, but "
                        + what + "[" + i + "] = " + x[i] + " (its luminance term is not shift-invariant: map [-1, 1]"
                        + " images to pixels first)");
            }
        }
    }

    private static void requireRange(double dataRange) {
        if (!(dataRange > 0) || Double.isInfinite(dataRange)) {
            throw new IllegalArgumentException(
                    "dataRange (max − min of the pixel scale) must be > 0, got " + dataRange);
        }
    }
}
