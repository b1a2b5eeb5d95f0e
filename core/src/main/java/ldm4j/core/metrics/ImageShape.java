package ldm4j.core.metrics;

/**
 * The N × C × H × W shape of a flat, row-major image batch, checked once for all image metrics.
 *
 * @param n images
 * @param c channels
 * @param h height
 * @param w width
 */
public record ImageShape(int n, int c, int h, int w) {

    /** Rejects empty or negative dimensions, naming the one at fault. */
    public ImageShape {
        if (n < 1 || c < 1 || h < 1 || w < 1) {
            throw new IllegalArgumentException(
                    "image shape must be positive, got N×C×H×W = " + n + "×" + c + "×" + h + "×" + w);
        }
    }

    /** Values in one H × W plane. */
    public int planeSize() {
        return h * w;
    }

    /** Values in one C × H × W image. */
    public int imageSize() {
        return c * h * w;
    }

    /** Values in the whole batch. */
    public long size() {
        return (long) n * imageSize();
    }

    /** Throws unless {@code length} matches this shape; {@code what} names the array in the message. */
    public void requireLength(int length, String what) {
        if (length != size()) {
            throw new IllegalArgumentException(
                    what + " has " + length + " values, but N×C×H×W = " + this + " = " + size());
        }
    }

    @Override
    public String toString() {
        return n + "×" + c + "×" + h + "×" + w;
    }
}
