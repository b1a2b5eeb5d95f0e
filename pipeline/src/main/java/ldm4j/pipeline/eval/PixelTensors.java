package ldm4j.pipeline.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** uint8 pixels to the float32 model input, the same mapping as {@code DataView.batch}. */
final class PixelTensors {
    private static final float SCALE = 2f / 255f;

    private PixelTensors() {}

    /**
     * Images {@code first .. first+n-1} of an N×C×H×W uint8 block as float32 (n, C, H, W) in [-1, 1]
     * on {@code manager}.
     */
    static NDArray toModelInput(NDManager manager, byte[] pixels, int first, int n, int c, int h, int w) {
        int size = c * h * w;
        float[] x = new float[n * size];
        int from = first * size;
        for (int j = 0; j < x.length; j++) {
            x[j] = (pixels[from + j] & 0xFF) * SCALE - 1f;
        }
        return manager.create(x, new Shape(n, c, h, w));
    }
}
