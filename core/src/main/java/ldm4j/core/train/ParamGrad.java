package ldm4j.core.train;

import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * One trainable parameter and its gradient for the current step.
 *
 * @param name the stable parameter name from {@code block.getParameters()}, used as the state key
 *     (never {@code Parameter.getId()}, which is a random uid)
 * @param weight the parameter's array, long-lived (root manager); updated in place
 * @param grad a view of the parameter's accumulated gradient, attached to the step scope; in-place
 *     changes to it change the gradient the engine holds
 */
public record ParamGrad(String name, NDArray weight, NDArray grad) {
    public ParamGrad {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(weight, "weight of " + name);
        Objects.requireNonNull(grad, "grad of " + name);
    }
}
