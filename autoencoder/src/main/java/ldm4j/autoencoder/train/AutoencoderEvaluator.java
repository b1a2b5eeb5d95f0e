package ldm4j.autoencoder.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ldm4j.autoencoder.AutoencoderInference;
import ldm4j.autoencoder.AutoencoderKL;
import ldm4j.autoencoder.DiagonalGaussian;
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
        return evaluate(model, view, n, batchSize, root, (originals, reconstructions) -> {});
    }

    /**
     * {@link #evaluate(AutoencoderKL, DataView, int, int, NDManager)}, handing each batch's scored
     * pixels to {@code scored} in subset order.
     */
    public static AutoencoderMetrics evaluate(AutoencoderKL model, DataView view, int n, int batchSize, NDManager root,
            ScoredPixels scored) {
        int[] chosen = subset(view, n);
        int count = chosen.length;
        if (count == 0) {
            throw new IllegalArgumentException("the " + view.split() + " split is empty: nothing to evaluate");
        }
        LatentStatistics stats = null;
        double psnrSum = 0;
        double ssimSum = 0;
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
                    stats = new LatentStatistics((int) s[1], (int) s[2], (int) s[3]);
                }
                stats.accept(q.mean().toFloatArray(), q.kl().toFloatArray());
            }
        }
        return new AutoencoderMetrics(count, psnrSum / count, ssimSum / count, stats.rateBitsPerImage(),
                stats.rateBitsPerElement(), stats.activeUnits(), stats.activeFraction(), stats.channelMean(),
                stats.channelStd());
    }
}
