package ldm4j.diffusion.sampler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * Standard Gaussian noise drawn in Java from a seeded {@link SplittableRandom}, so a sampler's
 * output (x_T included) depends only on the seed (and the JDK's {@code nextGaussian}, fixed since
 * Java 17), not on the engine, the device or the thread count.
 *
 * <p>The one stateful object of a sampling loop: the loop owns it and passes each draw to a pure
 * step function.
 */
public final class GaussianNoise {
    private final SplittableRandom random;

    public GaussianNoise(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** The next {@code shape} of i.i.d. N(0, 1) values, float32 on {@code manager}. */
    public NDArray next(NDManager manager, Shape shape) {
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return manager.create(values, shape);
    }
}
