package ldm4j.core.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * PSNR and SSIM between images and their reconstructions, on flat row-major N × C × H × W float
 * arrays (or NCHW {@link NDArray}s, copied out once).
 *
 * <p>{@code dataRange} is L = max − min of the pixel scale: 1 for [0, 1], 2 for [−1, 1] (ldm4j's
 * model range), 255 for uint8 values.
 *
 * <p><b>PSNR</b> is the mean over images of the per-image PSNR, 10·log₁₀(L² / MSEᵢ) with MSEᵢ over
 * the image's C·H·W values, as most autoencoder papers report it; it is not the PSNR of the mean
 * MSE, which is lower because log is concave. An image reconstructed exactly has MSE 0 and PSNR
 * +∞, and then so has the mean: it is reported as {@link Double#POSITIVE_INFINITY}, not capped
 * (as {@code skimage.metrics.peak_signal_noise_ratio} does), so callers writing JSON must map it.
 *
 * <p><b>SSIM</b> follows Wang et al. 2004, "Image Quality Assessment: From Error Visibility to
 * Structural Similarity", eq. 13, with their constants: an 11 × 11 Gaussian window with σ = 1.5
 * (normalised to sum 1), K₁ = 0.01, K₂ = 0.03, C₁ = (K₁L)², C₂ = (K₂L)². Local moments are the
 * window-weighted means, variances and covariance (σ² = E_w[x²] − μ², no N − 1 correction),
 * filtered over the 'valid' region only ((H − 10) × (W − 10), as pytorch-msssim does, and as
 * skimage does with {@code gaussian_weights=True, use_sample_covariance=False}). The SSIM map is
 * averaged per channel, then over channels and images. H and W must be at least 11.
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

    /** {@link #psnr(float[], float[], int, int, int, int, double)} on two NCHW arrays of the same shape. */
    public static double psnr(NDArray a, NDArray b, double dataRange) {
        int[] s = nchw(a, b);
        return psnr(floats(a), floats(b), s[0], s[1], s[2], s[3], dataRange);
    }

    /** Mean SSIM over images and channels, in [−1, 1]; 1 only for identical images. */
    public static double ssim(float[] a, float[] b, int n, int c, int h, int w, double dataRange) {
        ImageShape shape = new ImageShape(n, c, h, w);
        shape.requireLength(a.length, "a");
        shape.requireLength(b.length, "b");
        requireRange(dataRange);
        if (h < SSIM_WINDOW || w < SSIM_WINDOW) {
            throw new IllegalArgumentException("SSIM's " + SSIM_WINDOW + "×" + SSIM_WINDOW + " window needs H, W >= "
                    + SSIM_WINDOW + ", got " + shape);
        }
        double c1 = Math.pow(SSIM_K1 * dataRange, 2);
        double c2 = Math.pow(SSIM_K2 * dataRange, 2);
        int planes = n * c;
        double sum = 0;
        for (int p = 0; p < planes; p++) {
            sum += planeSsim(a, b, p * shape.planeSize(), h, w, c1, c2);
        }
        return sum / planes;
    }

    /** {@link #ssim(float[], float[], int, int, int, int, double)} on two NCHW arrays of the same shape. */
    public static double ssim(NDArray a, NDArray b, double dataRange) {
        int[] s = nchw(a, b);
        return ssim(floats(a), floats(b), s[0], s[1], s[2], s[3], dataRange);
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

    private static int[] nchw(NDArray a, NDArray b) {
        Shape s = a.getShape();
        if (s.dimension() != 4 || !s.equals(b.getShape())) {
            throw new IllegalArgumentException("need two NCHW arrays of one shape, got " + s + " and " + b.getShape());
        }
        return new int[] {(int) s.get(0), (int) s.get(1), (int) s.get(2), (int) s.get(3)};
    }

    private static float[] floats(NDArray x) {
        if (x.getDataType() == DataType.FLOAT32) {
            return x.toFloatArray();
        }
        try (NDArray f = x.toType(DataType.FLOAT32, true)) {
            return f.toFloatArray();
        }
    }

    private static void requireRange(double dataRange) {
        if (!(dataRange > 0) || Double.isInfinite(dataRange)) {
            throw new IllegalArgumentException(
                    "dataRange (max − min of the pixel scale) must be > 0, got " + dataRange);
        }
    }
}
