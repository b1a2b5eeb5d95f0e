package ldm4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** Small helpers for keeping arrays derived from parameters out of the parameters' manager. */
public final class Tensors {
    private Tensors() {}

    /**
     * Moves {@code derived} into the manager of {@code anchor} and returns it.
     *
     * <p>DJL puts the result of an op in the manager of its first operand, so {@code
     * gamma.reshape(...)} on a parameter lands in the root manager and would live until the
     * model is closed. Call this on every such array, with the step's input as the anchor, so
     * that it is freed when the step's scope closes. Never pass a parameter's own array.
     *
     * @param derived an array computed from a long-lived array (a view or a fresh result)
     * @param anchor an array whose manager is the current step's scope
     * @return {@code derived}, now owned by {@code anchor}'s manager
     */
    public static NDArray adopt(NDArray derived, NDArray anchor) {
        NDManager target = anchor.getManager();
        if (derived.getManager() != target) {
            derived.attach(target);
        }
        return derived;
    }

    /**
     * SiLU (swish with β = 1): {@code x · sigmoid(x)}. Written out rather than through DJL's
     * {@code swish(x, 1)}, which also multiplies x by β: one full pass more forward and backward.
     */
    public static NDArray silu(NDArray x) {
        return x.mul(x.getNDArrayInternal().sigmoid());
    }
}
