package ldm4j.core.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * A split of a {@link Dataset}: a fixed list of image indices, addressed by position 0..size-1.
 *
 * <p>Batches are made on a manager the caller gives, so a training step can put them in its own
 * scope and free them when the step ends.
 */
public final class DataView {
    private static final float SCALE = 2f / 255f;

    private final Dataset dataset;
    private final Split split;
    private final int[] indices;

    DataView(Dataset dataset, Split split, int[] indices) {
        this.dataset = dataset;
        this.split = split;
        this.indices = indices;
    }

    /** The dataset this is a view of. */
    public Dataset dataset() {
        return dataset;
    }

    /** Which split this is. */
    public Split split() {
        return split;
    }

    /** Number of images in the view. */
    public int size() {
        return indices.length;
    }

    /** The dataset index of the image at {@code position}. */
    public int datasetIndex(int position) {
        return indices[position];
    }

    /** The label at {@code position}, -1 when unlabelled. */
    public int label(int position) {
        return dataset.images().label(indices[position]);
    }

    /** The uint8 pixels of the images at {@code positions}, N×C×H×W, with their labels. */
    public UInt8Images raw(int[] positions) {
        UInt8Images all = dataset.images();
        int size = all.imageSize();
        byte[] pixels = new byte[positions.length * size];
        int[] labels = all.labelled() ? new int[positions.length] : null;
        for (int k = 0; k < positions.length; k++) {
            int i = indices[positions[k]];
            System.arraycopy(all.pixels(), i * size, pixels, k * size, size);
            if (labels != null) {
                labels[k] = all.labels()[i];
            }
        }
        return new UInt8Images(positions.length, all.channels(), all.height(), all.width(), pixels, labels);
    }

    /**
     * The images at {@code positions} as a batch on {@code manager}: float32 (N, C, H, W) mapped
     * from [0, 255] to [-1, 1], and int32 labels (-1 when unlabelled).
     */
    public Batch batch(NDManager manager, int[] positions) {
        UInt8Images all = dataset.images();
        int size = all.imageSize();
        byte[] src = all.pixels();
        float[] x = new float[positions.length * size];
        int[] labels = new int[positions.length];
        int[] datasetIndices = new int[positions.length];
        for (int k = 0; k < positions.length; k++) {
            int i = indices[positions[k]];
            datasetIndices[k] = i;
            labels[k] = all.label(i);
            int from = i * size;
            int to = k * size;
            for (int j = 0; j < size; j++) {
                x[to + j] = (src[from + j] & 0xFF) * SCALE - 1f;
            }
        }
        NDArray images = manager.create(x, new Shape(positions.length, all.channels(), all.height(), all.width()));
        NDArray labelArray = manager.create(labels);
        return new Batch(images, labelArray, datasetIndices);
    }

    /**
     * An endless, epoch-aware iterator over shuffled batches.
     *
     * @param batchSize images per batch
     * @param seed fixes every epoch's order
     * @param dropLast skip the short batch at the end of an epoch (training usually wants this)
     */
    public BatchIterator iterator(int batchSize, long seed, boolean dropLast) {
        return new BatchIterator(this, batchSize, seed, dropLast);
    }

    /** The first {@code n} images (fewer if the view is smaller), uint8. */
    public UInt8Images first(int n) {
        int[] positions = new int[Math.min(n, size())];
        for (int k = 0; k < positions.length; k++) {
            positions[k] = k;
        }
        return raw(positions);
    }

    /** {@code n} distinct images drawn with {@code seed} (fewer if the view is smaller), uint8. */
    public UInt8Images sample(int n, long seed) {
        int[] perm = Shuffle.permutation(size(), seed);
        return raw(Arrays.copyOf(perm, Math.min(n, size())));
    }
}
