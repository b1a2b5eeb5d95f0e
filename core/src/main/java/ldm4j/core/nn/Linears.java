package ldm4j.core.nn;

import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;

/**
 * The one place where ldm4j's models build linear layers, initialised as PyTorch's {@code
 * nn.Linear} ({@link FanInUniform}). Parameters {@code weight} (units, in) and {@code bias} (units);
 * the input width is taken from the input at initialisation.
 */
public final class Linears {
    private Linears() {}

    /** {@code (N, in) → (N, units)}. */
    public static Linear of(int units) {
        if (units <= 0) {
            throw new IllegalArgumentException("units must be > 0, got " + units);
        }
        Linear linear = Linear.builder().setUnits(units).build();
        linear.setInitializer(FanInUniform.INSTANCE, Parameter.Type.WEIGHT);
        return linear;
    }
}
