package ldm4j.diffusion.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;
import ldm4j.core.data.Batch;
import ldm4j.core.data.BatchIterator;
import ldm4j.core.data.DataView;
import ldm4j.core.data.LatentSet;

/**
 * The training set of a diffusion model, in latent or pixel space, as batches of x_0.
 *
 * <p>Latents are multiplied by the set's scale factor here (LDM §4.3.2: unit variance before
 * diffusion); pixels come from {@link DataView#batch} in [-1, 1]. Batch order comes from a core
 * {@link BatchIterator} (seeded per epoch, resumable by its {@code IteratorState}) in both cases.
 */
public final class DiffusionData {
    private final DataSpace space;
    private final int count;
    private final int channels;
    private final int height;
    private final int width;
    private final int numClasses;
    private final double scaleFactor;
    private final String source;
    private final String autoencoderSha256; // null in pixel space, and for latents that did not record it
    private final float[] latents; // scaled, N×C×H×W; null in pixel space
    private final int[] labels; // null in pixel space
    private final DataView view; // null in latent space

    private DiffusionData(DataSpace space, int count, int channels, int height, int width, int numClasses,
            double scaleFactor, String source, String autoencoderSha256, float[] latents, int[] labels, DataView view) {
        this.space = space;
        this.count = count;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.numClasses = numClasses;
        this.scaleFactor = scaleFactor;
        this.source = source;
        this.autoencoderSha256 = autoencoderSha256;
        this.latents = latents;
        this.labels = labels;
        this.view = view;
    }

    /**
     * The training latents of {@code set}, multiplied by its scale factor.
     *
     * @param source where they came from (the latent directory), for provenance
     */
    public static DiffusionData latents(LatentSet set, String source) {
        LatentSet.Header h = set.header();
        float scale = (float) h.scaleFactor();
        float[] scaled = new float[set.train().length];
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] = set.train()[i] * scale;
        }
        return new DiffusionData(DataSpace.LATENT, h.trainCount(), h.channels(), h.height(), h.width(),
                h.numClasses(), h.scaleFactor(), source, h.autoencoderSha256(), scaled, set.trainLabels().clone(),
                null);
    }

    /**
     * In-memory data already in model space (benchmarks, tests): {@code x} is N·C·H·W, used as is.
     *
     * @param labels one label per item (−1 when unlabelled)
     * @param numClasses classes of the labels, 0 when unlabelled
     */
    public static DiffusionData ofArrays(DataSpace space, float[] x, int[] labels, int channels, int height, int width,
            int numClasses, String source) {
        int e = channels * height * width;
        if (x.length % e != 0 || x.length / e != labels.length) {
            throw new IllegalArgumentException("x has " + x.length + " values, not " + labels.length + " items of "
                    + channels + "×" + height + "×" + width);
        }
        return new DiffusionData(space, labels.length, channels, height, width, numClasses, 1.0, source, null,
                x.clone(), labels.clone(), null);
    }

    /** The images of {@code view} in [-1, 1] (pixel space, scale factor 1). */
    public static DiffusionData pixels(DataView view) {
        Objects.requireNonNull(view, "view");
        var info = view.dataset().info();
        return new DiffusionData(DataSpace.PIXEL, view.size(), info.channels(), info.height(), info.width(),
                info.numClasses(), 1.0, info.name(), null, null, null, view);
    }

    /** Latent or pixel space. */
    public DataSpace space() {
        return space;
    }

    /** Number of training items. */
    public int size() {
        return count;
    }

    /** {C, H, W} of one x_0. */
    public long[] shape() {
        return new long[] {channels, height, width};
    }

    /** C, the channels of x_0 (the UNet's in_channels). */
    public int channels() {
        return channels;
    }

    /** Classes of the labels, 0 when unlabelled. */
    public int numClasses() {
        return numClasses;
    }

    /** The latent scale factor (1 in pixel space). */
    public double scaleFactor() {
        return scaleFactor;
    }

    /**
     * The SHA-256 of the weights of the autoencoder that encoded the latents, from their header; null
     * in pixel space and for latents written before ldm4j recorded it.
     */
    public String autoencoderSha256() {
        return autoencoderSha256;
    }

    /** The latent directory or the dataset name. */
    public String source() {
        return source;
    }

    /** An endless seeded iterator over positions (the last short batch of each epoch is dropped). */
    public BatchIterator iterator(int batchSize, long seed) {
        return view != null ? view.iterator(batchSize, seed, true) : BatchIterator.overPositions(count, batchSize, seed, true);
    }

    /** x_0 (N, C, H, W) float32 and int32 labels (−1 when unlabelled) of {@code positions}, on {@code manager}. */
    public Batch batch(NDManager manager, int[] positions) {
        if (view != null) {
            return view.batch(manager, positions);
        }
        int e = channels * height * width;
        float[] x = new float[positions.length * e];
        int[] y = new int[positions.length];
        for (int k = 0; k < positions.length; k++) {
            System.arraycopy(latents, positions[k] * e, x, k * e, e);
            y[k] = labels[positions[k]];
        }
        NDArray images = manager.create(x, new Shape(positions.length, channels, height, width));
        return new Batch(images, manager.create(y), positions.clone());
    }
}
