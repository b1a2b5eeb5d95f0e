package ldm4j.autoencoder.latent;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import ldm4j.autoencoder.AutoencoderInference;
import ldm4j.autoencoder.AutoencoderKL;
import ldm4j.autoencoder.DiagonalGaussian;
import ldm4j.autoencoder.train.AutoencoderCheckpoint;
import ldm4j.core.data.DataView;
import ldm4j.core.data.Dataset;
import ldm4j.core.data.LatentSet;
import ldm4j.core.engine.EngineSetup;
import ldm4j.core.progress.Progress;

/**
 * Encodes a whole dataset, both splits with their labels, into a {@link LatentSet}: the hand-off to
 * stage 2, which then never runs the encoder (LDM trains its diffusion model on latents encoded on
 * the fly; precomputing them costs one pass and makes every diffusion step cheaper).
 *
 * <p>The latents are stored <em>unscaled</em>; the header carries the checkpoint's scale factor
 * (see {@link LatentScale}) for stage 2 to apply, and the hash of the checkpoint's weights
 * ({@link AutoencoderCheckpoint#weightsSha256()}) that binds latents, scale factor and the UNets
 * trained on them to this autoencoder.
 */
public final class LatentEncoder {
    private LatentEncoder() {}

    /**
     * Encodes every image of {@code data}.
     *
     * @param ae the autoencoder checkpoint (its scale factor goes into the header)
     * @param data the dataset
     * @param dataName its name or spec, recorded in the header
     * @param mode posterior mean or a sample
     * @param batchSize images per batch (the encoder runs {@link AutoencoderInference}'s slices of it)
     * @param seed seeds the noise of {@link LatentMode#SAMPLE} (batch by batch, so it does not depend
     *     on what ran before)
     * @param root a long-lived manager; each batch gets its own sub-manager
     * @throws ldm4j.core.InputException for a dense autoencoder, whose latent is no spatial map
     */
    public static LatentSet encode(AutoencoderCheckpoint ae, Dataset data, String dataName, LatentMode mode,
            int batchSize, long seed, NDManager root) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be > 0, got " + batchSize);
        }
        ae.requireSpatialLatent();
        AutoencoderKL model = ae.model();
        var info = data.info();
        var shape = model.config().latentShape(info.height(), info.width());
        int elements = (int) shape.size();
        DataView train = data.train();
        DataView test = data.test();
        long batches = (train.size() + batchSize - 1) / batchSize + (test.size() + batchSize - 1) / batchSize;
        float[] trainLatents = new float[train.size() * elements];
        float[] testLatents = new float[test.size() * elements];
        try (Progress bar = Progress.start("encode", batches)) {
            encodeSplit(model, train, trainLatents, mode, batchSize, seed, 0, root, bar);
            encodeSplit(model, test, testLatents, mode, batchSize, seed, 1, root, bar);
        }
        LatentSet.Header header = new LatentSet.Header((int) shape.get(0), (int) shape.get(1), (int) shape.get(2),
                train.size(), test.size(), info.numClasses(), ae.scaleFactor(), mode.label(), dataName,
                info.cacheHash(), ae.dir().toAbsolutePath().toString(), ae.weightsSha256());
        return new LatentSet(header, trainLatents, labels(train), testLatents, labels(test));
    }

    /** {@link #encode} and {@link LatentSet#write} to {@code out}, atomically. */
    public static LatentSet encodeTo(Path out, AutoencoderCheckpoint ae, Dataset data, String dataName, LatentMode mode,
            int batchSize, long seed, NDManager root) throws IOException {
        LatentSet set = encode(ae, data, dataName, mode, batchSize, seed, root);
        set.write(out);
        return set;
    }

    private static void encodeSplit(AutoencoderKL model, DataView view, float[] into, LatentMode mode, int batchSize,
            long seed, int split, NDManager root, Progress bar) {
        for (int from = 0, batch = 0; from < view.size(); from += batchSize, batch++) {
            int size = Math.min(batchSize, view.size() - from);
            int[] positions = new int[size];
            for (int k = 0; k < size; k++) {
                positions[k] = from + k;
            }
            try (NDManager scope = root.newSubManager()) {
                NDArray x = view.batch(scope, positions).images();
                DiagonalGaussian q = AutoencoderInference.encode(model, x);
                NDArray z;
                if (mode == LatentMode.SAMPLE) {
                    EngineSetup.seed(new SplittableRandom(seed ^ ((long) split << 40) ^ batch).nextLong());
                    z = q.sample();
                } else {
                    z = q.mean();
                }
                float[] values = z.toFloatArray();
                System.arraycopy(values, 0, into, from * (values.length / size), values.length);
            }
            bar.step();
        }
    }

    private static int[] labels(DataView view) {
        int[] out = new int[view.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = view.label(i);
        }
        return out;
    }
}
