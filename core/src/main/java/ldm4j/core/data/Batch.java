package ldm4j.core.data;

import ai.djl.ndarray.NDArray;

/**
 * One batch ready for a model.
 *
 * @param images float32 (N, C, H, W) in [-1, 1]
 * @param labels int32 (N), -1 for unlabelled images
 * @param indices each image's index in the whole dataset (for logging or evaluation)
 */
public record Batch(NDArray images, NDArray labels, int[] indices) implements AutoCloseable {
    /** Number of images. */
    public int size() {
        return indices.length;
    }

    /** Closes both arrays (they also close with the manager they were created on). */
    @Override
    public void close() {
        images.close();
        labels.close();
    }
}
