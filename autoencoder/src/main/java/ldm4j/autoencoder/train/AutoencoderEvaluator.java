package ldm4j.autoencoder.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import ldm4j.autoencoder.AutoencoderInference;
import ldm4j.autoencoder.AutoencoderKL;
import ldm4j.autoencoder.DiagonalGaussian;
import ldm4j.autoencoder.loss.Likelihood;
import ldm4j.core.data.Batch;
import ldm4j.core.data.DataView;
import ldm4j.core.data.Shuffle;
import ldm4j.core.io.ImageIo;
import ldm4j.core.metrics.ReconstructionMetrics;

/**
 * Evaluates an autoencoder on a fixed subset of a split ({@link #subset}): reconstructions are decoded
 * from the posterior mean (no sampling noise, so the numbers are repeatable) and turned into uint8
 * pixels the way images are saved ({@link ImageIo#toUint8(float[])}); PSNR and SSIM compare those
 * with the dataset's own pixels, with L = 255, as scikit-image would on the saved files ({@link
 * ReconstructionMetrics}). The rate and latent statistics come from {@link LatentStatistics}.
 *
 * <p>Told the likelihood the model was trained with ({@link Likelihood}), it also reports the
 * effective β and the negative ELBO (β = 1) in bits per dimension. Its expected log-likelihood is
 * estimated with one posterior sample per image, drawn in Java from a seed fixed by the image's place
 * in the subset, so the number is repeatable and the same on every device.
 */
public final class AutoencoderEvaluator {
    /** Seed of the evaluation subset, fixed so that every evaluation of a run sees the same images. */
    public static final long SUBSET_SEED = 0x5EED;

    private AutoencoderEvaluator() {}

    /**
     * Positions of {@code n} images of {@code view} that every evaluation uses: all of them, in order,
     * when {@code n} is 0 or covers the split; otherwise a seeded draw. Not the first {@code n}: a
     * split keeps the dataset's order, and built-in datasets are stored class by class, so the first
     * 1,000 Fashion-MNIST test images are all T-shirts.
     */
    public static int[] subset(DataView view, int n) {
        if (n <= 0 || n >= view.size()) {
            int[] all = new int[view.size()];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            return all;
        }
        return java.util.Arrays.copyOf(Shuffle.permutation(view.size(), SUBSET_SEED), n);
    }

    /** Receives, batch by batch, the uint8 pixels (N×C×H×W) that PSNR and SSIM were computed on. */
    @FunctionalInterface
    public interface ScoredPixels {
        void accept(byte[] originals, byte[] reconstructions);
    }

    /**
     * @param model the autoencoder, in evaluation mode (no dropout)
     * @param view the split to evaluate
     * @param n images to use ({@link #subset}); 0 or more than the split means all
     * @param batchSize images per batch of the metrics (the networks run {@link AutoencoderInference}'s slices)
     * @param root a long-lived manager; each batch gets its own sub-manager
     */
    public static AutoencoderMetrics evaluate(AutoencoderKL model, DataView view, int n, int batchSize, NDManager root) {
        return evaluate(model, null, view, n, batchSize, root, (originals, reconstructions) -> {});
    }

    /**
     * {@link #evaluate(AutoencoderKL, DataView, int, int, NDManager)} with the effective β and the
     * negative ELBO of {@code likelihood}.
     */
    public static AutoencoderMetrics evaluate(AutoencoderKL model, Likelihood likelihood, DataView view, int n,
            int batchSize, NDManager root) {
        return evaluate(model, likelihood, view, n, batchSize, root, (originals, reconstructions) -> {});
    }

    /**
     * {@link #evaluate(AutoencoderKL, DataView, int, int, NDManager)}, handing each batch's scored
     * pixels to {@code scored} in subset order.
     */
    public static AutoencoderMetrics evaluate(AutoencoderKL model, DataView view, int n, int batchSize, NDManager root,
            ScoredPixels scored) {
        return evaluate(model, null, view, n, batchSize, root, scored);
    }

    /**
     * {@link #evaluate(AutoencoderKL, DataView, int, int, NDManager, ScoredPixels)} with the effective
     * β and the negative ELBO of {@code likelihood}, when it is not null.
     */
    public static AutoencoderMetrics evaluate(AutoencoderKL model, Likelihood likelihood, DataView view, int n,
            int batchSize, NDManager root, ScoredPixels scored) {
        int[] chosen = subset(view, n);
        int count = chosen.length;
        if (count == 0) {
            throw new IllegalArgumentException("the " + view.split() + " split is empty: nothing to evaluate");
        }
        LatentStatistics stats = null;
        double psnrSum = 0;
        double ssimSum = 0;
        double negElboSum = 0;
        long dims = 0;
        boolean elbo = likelihood != null && likelihood.gaussian();
        for (int from = 0; from < count; from += batchSize) {
            int size = Math.min(batchSize, count - from);
            int[] positions = java.util.Arrays.copyOfRange(chosen, from, from + size);
            try (NDManager scope = root.newSubManager()) {
                Batch batch = view.batch(scope, positions);
                NDArray x = batch.images();
                DiagonalGaussian q = AutoencoderInference.encode(model, x);
                byte[] originals = view.raw(positions).pixels();
                byte[] reconstructions = ImageIo.toUint8(AutoencoderInference.decode(model, q.mean()).toFloatArray());
                int c = (int) x.getShape().get(1);
                int h = (int) x.getShape().get(2);
                int w = (int) x.getShape().get(3);
                psnrSum += ReconstructionMetrics.psnr(originals, reconstructions, size, c, h, w) * size;
                if (h >= ReconstructionMetrics.SSIM_WINDOW && w >= ReconstructionMetrics.SSIM_WINDOW) {
                    ssimSum += ReconstructionMetrics.ssim(originals, reconstructions, size, c, h, w) * size;
                } else {
                    ssimSum = Double.NaN;
                }
                scored.accept(originals, reconstructions);
                if (stats == null) {
                    long[] s = q.mean().getShape().getShape();
                    stats = LatentStatistics.forShape(java.util.Arrays.copyOfRange(s, 1, s.length));
                }
                float[] kl = q.kl().toFloatArray();
                stats.accept(q.mean().toFloatArray(), kl);
                dims = (long) c * h * w;
                if (elbo) {
                    float[] sse = sampledSquaredErrors(model, x, q, from);
                    for (int i = 0; i < size; i++) {
                        negElboSum += likelihood.negativeLogLikelihood(sse[i], dims) + kl[i];
                    }
                }
            }
        }
        double negElbo = elbo ? negElboSum / count : Double.NaN;
        return new AutoencoderMetrics(count, psnrSum / count, ssimSum / count, stats.rateBitsPerImage(),
                stats.rateBitsPerElement(), stats.activeUnits(), stats.activeFraction(), stats.channelMean(),
                stats.channelStd(), likelihood == null ? Double.NaN : likelihood.beta(),
                likelihood == null ? Double.NaN : likelihood.effectiveBeta(),
                likelihood == null ? null : likelihood.betaRelativeTo(), negElbo, bitsPerDim(negElbo, dims));
    }

    /** log2(127.5): the change of variables from the model's [-1, 1] to the 8-bit [0, 255], per value. */
    static final double LOG2_PIXEL_SCALE = Math.log(127.5) / Math.log(2);

    /** A negative ELBO per image in nats on the [-1, 1] scale as bits per value on the 8-bit scale. */
    public static double bitsPerDim(double negElboNats, long dims) {
        return negElboNats / (dims * Math.log(2)) + LOG2_PIXEL_SCALE;
    }

    /**
     * Σ(x − x̂)² per image, x̂ decoded from one sample of q whose noise is seeded by the position
     * {@code from} of the batch in the subset.
     */
    private static float[] sampledSquaredErrors(AutoencoderKL model, NDArray x, DiagonalGaussian q, int from) {
        Shape shape = q.mean().getShape();
        float[] noise = new float[Math.toIntExact(shape.size())];
        Random rng = new Random(SUBSET_SEED * 31 + from);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) rng.nextGaussian();
        }
        NDArray z = q.sample(q.mean().getManager().create(noise, shape));
        NDArray decoded = AutoencoderInference.decode(model, z);
        int[] axes = {1, 2, 3};
        return x.sub(decoded).square().sum(axes).toFloatArray();
    }
}
