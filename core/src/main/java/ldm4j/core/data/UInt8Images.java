package ldm4j.core.data;

import java.util.Arrays;

/**
 * A block of images as raw uint8 pixels, laid out N×C×H×W, with one label per image.
 *
 * @param count number of images N
 * @param channels C, 1 (grey) or 3 (RGB)
 * @param height H
 * @param width W
 * @param pixels N·C·H·W bytes; read each as {@code b & 0xFF}
 * @param labels N class indices, or {@code null} when the images carry no labels
 */
public record UInt8Images(int count, int channels, int height, int width, byte[] pixels, int[] labels) {
    /** The most pixel bytes a block holds: one Java array, and one file of the dataset cache. */
    public static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    public UInt8Images {
        if (count < 0 || channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException(
                    "bad image block shape " + count + "×" + channels + "×" + height + "×" + width);
        }
        if (pixels.length != (long) count * channels * height * width) {
            throw new IllegalArgumentException("pixels hold " + pixels.length + " bytes, shape needs "
                    + (long) count * channels * height * width);
        }
        if (labels != null && labels.length != count) {
            throw new IllegalArgumentException(labels.length + " labels for " + count + " images");
        }
    }

    /** Bytes in one image, C·H·W. */
    public int imageSize() {
        return channels * height * width;
    }

    /** True when every image has a class label. */
    public boolean labelled() {
        return labels != null;
    }

    /** Label of image {@code i}, or -1 when unlabelled. */
    public int label(int i) {
        return labels == null ? -1 : labels[i];
    }

    /** The shape as {N, C, H, W}. */
    public long[] shape() {
        return new long[] {count, channels, height, width};
    }

    /** A copy of image {@code i}'s C·H·W bytes. */
    public byte[] image(int i) {
        int size = imageSize();
        return Arrays.copyOfRange(pixels, i * size, (i + 1) * size);
    }
}
