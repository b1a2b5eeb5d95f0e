package ldm4j.autoencoder.train;

/**
 * Streaming statistics of posteriors q(z|x) over a set of images: the rate (mean KL to the prior)
 * and, from the posterior means E_q[z], the active units and per-channel moments.
 *
 * <ul>
 *   <li>Rate: KL(q(z|x) ‖ N(0, I)) in nats per image, averaged over images; in bits it is
 *       {@code nats / ln 2}, and per latent element it is divided by C·h·w.
 *   <li>Active units (Burda et al. 2016, "Importance Weighted Autoencoders", §5.2): latent element u
 *       is active when {@code A_u = Cov_x(E_{q(z|x)}[z_u]) > 0.01}, i.e. its posterior mean varies
 *       across images; an inactive one carries no information about x. Here each of the C·h·w
 *       elements is a unit, and the variance is the population variance over the images seen.
 * </ul>
 *
 * <p>A dense latent (d) is taken as d channels of 1 × 1 ({@link #forShape}), so its per-channel
 * moments are those of each unit.
 *
 * Sums are kept in double, so a million latents lose nothing to float round-off.
 */
public final class LatentStatistics {
    /** Burda et al.'s threshold on the variance of the posterior mean. */
    public static final double ACTIVE_THRESHOLD = 0.01;

    private final int channels;
    private final int plane;
    private final double[] sum;
    private final double[] sumSq;
    private long images;
    private double klNats;

    /**
     * Statistics of latents of one image's shape: (C, h, w) for a conv latent, (d) for a dense one,
     * whose every element is then a channel of its own (1 × 1).
     */
    public static LatentStatistics forShape(long... shape) {
        return switch (shape.length) {
            case 1 -> new LatentStatistics(Math.toIntExact(shape[0]), 1, 1);
            case 3 -> new LatentStatistics(Math.toIntExact(shape[0]), Math.toIntExact(shape[1]), Math.toIntExact(shape[2]));
            default -> throw new IllegalArgumentException("a latent is (C, h, w) or (d), got " + java.util.Arrays.toString(shape));
        };
    }

    /** Statistics of latents with {@code channels} channels of {@code height × width}. */
    public LatentStatistics(int channels, int height, int width) {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("latent shape must be positive, got " + channels + "×" + height + "×" + width);
        }
        this.channels = channels;
        this.plane = height * width;
        this.sum = new double[channels * plane];
        this.sumSq = new double[channels * plane];
    }

    /**
     * Adds a batch.
     *
     * @param means posterior means, N×C×h×w flattened
     * @param klPerImage KL(q(z|x) ‖ N(0, I)) of each image in nats, length N
     */
    public void accept(float[] means, float[] klPerImage) {
        int elements = sum.length;
        if (means.length != (long) klPerImage.length * elements) {
            throw new IllegalArgumentException("means hold " + means.length + " values, expected " + klPerImage.length
                    + " × " + elements);
        }
        for (int n = 0; n < klPerImage.length; n++) {
            int base = n * elements;
            for (int u = 0; u < elements; u++) {
                double m = means[base + u];
                sum[u] += m;
                sumSq[u] += m * m;
            }
            klNats += klPerImage[n];
        }
        images += klPerImage.length;
    }

    /** Images seen. */
    public long images() {
        return images;
    }

    /** Latent elements per image, C·h·w. */
    public int elements() {
        return sum.length;
    }

    /** Mean KL per image in nats. */
    public double rateNatsPerImage() {
        requireData();
        return klNats / images;
    }

    /** Mean KL per image in bits: nats / ln 2. */
    public double rateBitsPerImage() {
        return rateNatsPerImage() / Math.log(2);
    }

    /** Mean KL per latent element in bits. */
    public double rateBitsPerElement() {
        return rateBitsPerImage() / elements();
    }

    /** A_u for every element u: the population variance of the posterior mean across images. */
    public double[] unitActivity() {
        requireData();
        double[] a = new double[sum.length];
        for (int u = 0; u < a.length; u++) {
            double mean = sum[u] / images;
            a[u] = Math.max(0, sumSq[u] / images - mean * mean);
        }
        return a;
    }

    /** Elements with {@code A_u > } {@value #ACTIVE_THRESHOLD}. */
    public int activeUnits() {
        int active = 0;
        for (double a : unitActivity()) {
            if (a > ACTIVE_THRESHOLD) {
                active++;
            }
        }
        return active;
    }

    /** {@link #activeUnits()} / {@link #elements()}. */
    public double activeFraction() {
        return (double) activeUnits() / elements();
    }

    /** Mean of the posterior means of each channel, over images and positions. */
    public double[] channelMean() {
        requireData();
        double[] out = new double[channels];
        for (int c = 0; c < channels; c++) {
            double s = 0;
            for (int p = 0; p < plane; p++) {
                s += sum[c * plane + p];
            }
            out[c] = s / (images * plane);
        }
        return out;
    }

    /** Standard deviation of the posterior means of each channel, over images and positions. */
    public double[] channelStd() {
        double[] mean = channelMean();
        double[] out = new double[channels];
        for (int c = 0; c < channels; c++) {
            double s = 0;
            for (int p = 0; p < plane; p++) {
                s += sumSq[c * plane + p];
            }
            out[c] = Math.sqrt(Math.max(0, s / (images * plane) - mean[c] * mean[c]));
        }
        return out;
    }

    private void requireData() {
        if (images == 0) {
            throw new IllegalStateException("no latents accepted yet");
        }
    }
}
