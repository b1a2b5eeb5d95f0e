package ldm4j.pipeline.eval;

import java.util.function.IntToDoubleFunction;
import ldm4j.core.metrics.ImageShape;

/**
 * Sharpness as the variance of the Laplacian (Pech-Pacheco et al. 2000, "Diatom autofocusing in
 * brightfield microscopy: a comparative study"), relative to real images.
 *
 * <p>Per image and channel the plane is filtered with the 3 × 3 Laplacian
 * {@code [0, 1, 0; 1, −4, 1; 0, 1, 0]} over the 'valid' region ((H − 2) × (W − 2), no padding, so
 * borders invent no edges), and the population variance (÷ count, like {@code numpy.var}) of the
 * response is taken. The batch score is the mean over all images and channels. Blur removes high
 * frequencies and lowers it; the blurry prior samples of a β = 1 VAE score well below real data.
 *
 * <p>The value is in squared pixel units, so compare samples and real images on the same scale
 * (both uint8 or both floats in the same range); {@link #relative()} is then unitless.
 *
 * @param samples mean Laplacian variance of the generated images
 * @param real mean Laplacian variance of real (test) images
 */
public record Sharpness(double samples, double real) {

    /** Requires finite, non-negative scores. */
    public Sharpness {
        if (!(samples >= 0) || !(real >= 0) || Double.isInfinite(samples) || Double.isInfinite(real)) {
            throw new IllegalArgumentException(
                    "Laplacian variances must be finite and >= 0, got " + samples + ", " + real);
        }
    }

    /** Scores uint8 samples against uint8 real images of the same C × H × W (counts may differ). */
    public static Sharpness of(byte[] samples, int nSamples, byte[] real, int nReal, int c, int h, int w) {
        return new Sharpness(meanLaplacianVariance(samples, new ImageShape(nSamples, c, h, w)),
                meanLaplacianVariance(real, new ImageShape(nReal, c, h, w)));
    }

    /** Scores float samples against float real images of the same C × H × W and value range. */
    public static Sharpness of(float[] samples, int nSamples, float[] real, int nReal, int c, int h, int w) {
        return new Sharpness(meanLaplacianVariance(samples, new ImageShape(nSamples, c, h, w)),
                meanLaplacianVariance(real, new ImageShape(nReal, c, h, w)));
    }

    /**
     * Samples' score over real data's: 1 is as sharp as real, below 1 blurrier.
     *
     * @throws IllegalStateException when the real images are flat (score 0), so no ratio exists
     */
    public double relative() {
        if (real == 0) {
            throw new IllegalStateException(
                    "real images have zero Laplacian variance (constant images?), no relative score");
        }
        return samples / real;
    }

    /** Mean over images and channels of the Laplacian variance of uint8 pixels (read as 0–255). */
    public static double meanLaplacianVariance(byte[] uint8, int n, int c, int h, int w) {
        return meanLaplacianVariance(uint8, new ImageShape(n, c, h, w));
    }

    /** Mean over images and channels of the Laplacian variance of float pixels, in their own units. */
    public static double meanLaplacianVariance(float[] images, int n, int c, int h, int w) {
        return meanLaplacianVariance(images, new ImageShape(n, c, h, w));
    }

    private static double meanLaplacianVariance(byte[] uint8, ImageShape shape) {
        shape.requireLength(uint8.length, "uint8 images");
        return meanLaplacianVariance(i -> uint8[i] & 0xFF, shape);
    }

    private static double meanLaplacianVariance(float[] images, ImageShape shape) {
        shape.requireLength(images.length, "images");
        return meanLaplacianVariance(i -> images[i], shape);
    }

    private static double meanLaplacianVariance(IntToDoubleFunction pixel, ImageShape shape) {
        int h = shape.h();
        int w = shape.w();
        if (h < 3 || w < 3) {
            throw new IllegalArgumentException("the 3×3 Laplacian needs H, W >= 3, got " + shape);
        }
        int planes = shape.n() * shape.c();
        double[] response = new double[(h - 2) * (w - 2)];
        double sum = 0;
        for (int p = 0; p < planes; p++) {
            int base = p * shape.planeSize();
            int r = 0;
            for (int y = 1; y < h - 1; y++) {
                for (int x = 1; x < w - 1; x++) {
                    int i = base + y * w + x;
                    response[r++] = pixel.applyAsDouble(i - w) + pixel.applyAsDouble(i + w)
                            + pixel.applyAsDouble(i - 1) + pixel.applyAsDouble(i + 1) - 4 * pixel.applyAsDouble(i);
                }
            }
            sum += variance(response);
        }
        return sum / planes;
    }

    /** Population variance, two passes (mean first) for accuracy. */
    private static double variance(double[] v) {
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.length;
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        return ss / v.length;
    }
}
