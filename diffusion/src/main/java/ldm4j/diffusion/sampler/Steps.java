package ldm4j.diffusion.sampler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import ldm4j.diffusion.schedule.NoiseSchedule;

/** Small helpers shared by the sampling loops. */
final class Steps {
    private Steps() {}

    /** The steps a sampling loop visits: the config's spacing over the schedule's T. */
    static int[] timesteps(NoiseSchedule schedule, SamplerConfig cfg) {
        return cfg.spacing().timesteps(schedule.steps(), cfg.steps());
    }

    /**
     * The model's (guided) prediction at x_t and step t, with every temporary on {@code scope}.
     *
     * @return the prediction and the t array it was made at
     */
    static Output predict(Denoiser model, SamplerConfig cfg, NDArray xt, int t, NDManager scope) {
        NDArray tArr = full(scope, xt.getShape().get(0), t);
        NDArray out = Guidance.predict(model, xt, tArr, cfg.classLabels(), cfg.nullClass(), cfg.guidanceScale());
        return new Output(out, tArr);
    }

    /** A model output and the per-sample step array it belongs to. */
    record Output(NDArray output, NDArray t) {}

    /** The step index t repeated for each of n samples, int64 (n,). */
    static NDArray full(NDManager manager, long n, int t) {
        long[] values = new long[Math.toIntExact(n)];
        Arrays.fill(values, t);
        return manager.create(values);
    }
}
