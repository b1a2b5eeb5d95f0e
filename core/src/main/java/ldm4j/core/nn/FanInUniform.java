package ldm4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/**
 * U(−1/√fan_in, 1/√fan_in) for a weight of shape (out, in, k…), fan_in = in·∏k: PyTorch's default
 * for {@code nn.Conv2d} and {@code nn.Linear} ({@code kaiming_uniform_(a=√5)}), which the models of
 * CompVis/latent-diffusion and ADM are trained from. Its standard deviation is 1/√(3·fan_in).
 *
 * <p>DJL's own default is He-normal, √(2/fan_in): √6 ≈ 2.45 times larger. Behind a GroupNorm a
 * conv's output scale does not matter, but Adam moves every weight by about lr per step, so
 * weights √6 times larger learn √6 times slower relative to their size; the PyTorch recipes
 * (lr 3e-4 for the UNet, 1e-3 for the autoencoder) assume PyTorch's scale. Biases stay at zero
 * (PyTorch draws them from the same range, which DJL's initializer cannot see from a bias shape).
 */
public final class FanInUniform implements Initializer {
    /** The one instance: the initializer holds no state. */
    public static final FanInUniform INSTANCE = new FanInUniform();

    private FanInUniform() {}

    /** fan_in of a weight of shape (out, in, k…): in times the receptive field. */
    public static long fanIn(Shape shape) {
        if (shape.dimension() < 2) {
            throw new IllegalArgumentException("a weight needs shape (out, in, ...), got " + shape);
        }
        return shape.size() / shape.get(0);
    }

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        float bound = (float) (1.0 / Math.sqrt(fanIn(shape)));
        return manager.randomUniform(-bound, bound, shape, dataType);
    }
}
