package ldm4j.autoencoder.latent;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ldm4j.autoencoder.AutoencoderInference;
import ldm4j.autoencoder.AutoencoderKL;
import ldm4j.autoencoder.train.AutoencoderEvaluator;
import ldm4j.core.data.DataView;

/**
 * LDM's latent scale factor (Rombach et al. 2022, §4.3.2 and Appendix: "we rescale the latents by
 * the component-wise standard deviation"; the code takes {@code 1 / z.flatten().std()} of the first
 * batch): one number that gives the latents unit variance before diffusion.
 *
 * <p>Choice: the std is that of the posterior <em>means</em>, over every element of {@code n}
 * training images (a seeded draw), not of posterior samples as in LDM. {@code ldm4j encode} writes
 * posterior means by default, so this is the std of what stage 2 actually sees. At β = 1e-6 the
 * posterior std is far below the spread of the means (a rate of ~6 nats per element on
 * Fashion-MNIST puts it near 1/100 of it), so the two estimates agree closely; at β = 1 sampling
 * noise would inflate the sample std. Using ≥ 1,000 images instead of one batch steadies the
 * estimate.
 */
public final class LatentScale {
    private LatentScale() {}

    /**
     * {@code 1 / std} of the posterior means of {@code n} images of {@code view}, the same seeded
     * subset every time ({@link AutoencoderEvaluator#subset}: a split is stored class by class).
     *
     * @param model the autoencoder (evaluation mode)
     * @param view usually the training split
     * @param n images; fewer if the split is smaller
     * @param batchSize images per batch (the encoder runs {@link AutoencoderInference}'s slices of it)
     * @param root a long-lived manager; each batch gets its own sub-manager
     * @throws IllegalStateException when the latents are constant (std 0) or not finite
     */
    public static double compute(AutoencoderKL model, DataView view, int n, int batchSize, NDManager root) {
        int[] chosen = AutoencoderEvaluator.subset(view, n);
        int count = chosen.length;
        double sum = 0;
        double sumSq = 0;
        long elements = 0;
        for (int from = 0; from < count; from += batchSize) {
            int size = Math.min(batchSize, count - from);
            int[] positions = java.util.Arrays.copyOfRange(chosen, from, from + size);
            try (NDManager scope = root.newSubManager()) {
                NDArray x = view.batch(scope, positions).images();
                float[] z = AutoencoderInference.encode(model, x).mean().toFloatArray();
                for (float v : z) {
                    sum += v;
                    sumSq += (double) v * v;
                }
                elements += z.length;
            }
        }
        double mean = sum / elements;
        double std = Math.sqrt(Math.max(0, sumSq / elements - mean * mean));
        if (!(std > 0) || !Double.isFinite(std)) {
            throw new IllegalStateException("latent std is " + std + " over " + count + " images: cannot scale");
        }
        return 1 / std;
    }
}
