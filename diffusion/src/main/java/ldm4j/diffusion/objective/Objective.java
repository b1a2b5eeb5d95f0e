package ldm4j.diffusion.objective;

import ai.djl.ndarray.NDArray;
import java.util.Objects;
import ldm4j.diffusion.schedule.NoiseSchedule;

/**
 * The training objective: what the network predicts and how each timestep is weighted.
 *
 * <p>A training step draws x_0, t ~ U{0, …, T−1} and ε ~ N(0, I), then:
 *
 * <pre>{@code
 * NDArray xt = schedule.qSample(x0, t, eps);
 * NDArray out = unet.forward(xt, t, labels);
 * NDArray loss = objective.loss(schedule, out, x0, eps, t);   // scalar
 * }</pre>
 *
 * @param prediction what the network outputs (ε or v)
 * @param weighting per-timestep loss weight (uniform or min-SNR-γ)
 */
public record Objective(Prediction prediction, LossWeighting weighting) {
    public Objective {
        Objects.requireNonNull(prediction, "prediction");
        Objects.requireNonNull(weighting, "weighting");
    }

    /**
     * mean_i w(t_i) · mean_{C,H,W} (out_i − target_i)², a scalar on out's manager.
     *
     * @param out network output (N, …)
     * @param x0 the clean data that was noised
     * @param eps the noise used by {@code qSample}
     * @param t per-sample steps (N,)
     */
    public NDArray loss(NoiseSchedule schedule, NDArray out, NDArray x0, NDArray eps, NDArray t) {
        NDArray target = prediction.target(schedule, x0, eps, t);
        NDArray diff = out.sub(target);
        // PyTorch's mean takes one axis in DJL: flatten C, H, W first
        NDArray perSample = diff.square().reshape(out.getShape().get(0), -1).mean(new int[] {1});
        return perSample.mul(weighting.weight(schedule, prediction, t)).mean();
    }
}
