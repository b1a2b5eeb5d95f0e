package ldm4j.diffusion.sampler;

import ai.djl.ndarray.NDArray;

/**
 * The trained network seen by a sampler: x_t, the per-sample steps and the class labels in, the
 * prediction (ε or v, see {@link ldm4j.diffusion.objective.Prediction}) out.
 *
 * <p>The output should live on x_t's manager (the natural result of ops whose first operand is
 * x_t), so that it is freed with the sampler's step scope.
 */
@FunctionalInterface
public interface Denoiser {
    /**
     * @param xt noisy input (N, …), float32
     * @param t step indices, int64 of shape (N,)
     * @param classLabels int64 of shape (N,), or {@code null} for an unconditional model
     * @return the model's prediction, the shape of {@code xt}
     */
    NDArray predict(NDArray xt, NDArray t, NDArray classLabels);
}
