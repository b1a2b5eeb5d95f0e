package ldm4j.diffusion.sampler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;
import java.util.function.IntConsumer;
import ldm4j.core.nn.Scalars;
import ldm4j.diffusion.objective.Prediction;
import ldm4j.diffusion.schedule.NoiseSchedule;

/**
 * DPM-Solver++(2M) (Lu et al. 2022, "DPM-Solver++: Fast Solver for Guided Sampling of Diffusion
 * Probabilistic Models", Algorithm 2): a second-order multistep solver of the diffusion ODE in
 * data-prediction form, stepping in λ = log(α/σ).
 *
 * <p>The first step has no history and is first order (it is DDIM with η = 0); the last step goes
 * to σ = 0 (ᾱ = 1), where h = ∞ and the update is first order: x = x̂_0. A step that lands on
 * t = 0 (the end of a leading grid) is first order too, following the paper's practice of lower
 * orders at the final steps: λ_0 lies far above the rest of the grid, so r_i ≪ 1 and the
 * second-order extrapolation of x̂_0 overshoots (with it, Gaussian data came out with a std 22–25%
 * too large at 20 steps on the linear schedule; see SamplersRecoverGaussianDataTest).
 *
 * <pre>
 * variable        symbol (Algorithm 2)
 * alpha, sigma    α_t = √ᾱ_t, σ_t = √(1 − ᾱ_t)
 * lambda(t)       λ_t = log(α_t/σ_t) = ½ log SNR(t)
 * h               h_i = λ_{t_i} − λ_{t_{i−1}}
 * r               r_i = h_{i−1}/h_i
 * x0              x_θ(x̃_{t_{i−1}}, t_{i−1}), the data prediction at this step
 * history.x0()    x_θ(x̃_{t_{i−2}}, t_{i−2}), the one before
 * d               D_i = (1 + 1/(2r_i)) x0 − 1/(2r_i) history.x0()
 * update          x̃_{t_i} = (σ_{t_i}/σ_{t_{i−1}}) x̃_{t_{i−1}} − α_{t_i} (e^{−h_i} − 1) D_i
 * </pre>
 */
public final class DpmSolverPP2M {
    private DpmSolverPP2M() {}

    /** The previous data prediction and the step it was made at: the solver's only state. */
    public record History(NDArray x0, int t) {}

    /** x at the next step and the history to pass to the step after. */
    public record Result(NDArray x, History history) {}

    /** λ_t = log(α_t/σ_t). */
    public static double lambda(NoiseSchedule schedule, int t) {
        double a = schedule.alphaBar(t);
        return 0.5 * Math.log(a / (1 - a));
    }

    /**
     * One update x̃_{t} → x̃_{tPrev}.
     *
     * @param x0 the model's data prediction at (x_t, t)
     * @param history the previous step's data prediction, or null at the first step
     * @return x_{tPrev} and the history for the next call (its x0 is {@code x0})
     */
    public static Result step(NoiseSchedule schedule, NDArray xt, NDArray x0, int t, int tPrev, History history) {
        History next = new History(x0, t);
        if (tPrev < 0) {
            return new Result(x0.duplicate(), next);                  // σ_{tPrev} = 0, α = 1: x = D = x̂_0
        }
        double aPrev = schedule.alphaBar(tPrev);
        double sigmaRatio = Math.sqrt((1 - aPrev) / (1 - schedule.alphaBar(t)));
        double alphaPrev = Math.sqrt(aPrev);
        double h = lambda(schedule, tPrev) - lambda(schedule, t);
        double phi = Math.expm1(-h);                                  // e^{−h} − 1
        NDArray d;
        if (history == null) {
            d = x0;                                                   // first order: DDIM
        } else {
            double r = (lambda(schedule, t) - lambda(schedule, history.t())) / h;
            d = Scalars.mul(x0, 1 + 1 / (2 * r)).sub(Scalars.mul(history.x0(), 1 / (2 * r)));
        }
        return new Result(Scalars.mul(xt, sigmaRatio).sub(Scalars.mul(d, alphaPrev * phi)), next);
    }

    /** Draws a batch of {@code shape}: x_T ~ N(0, I), then {@link #step} over the visited steps. */
    public static NDArray sample(Denoiser model, Prediction prediction, NoiseSchedule schedule, Shape shape,
            SamplerConfig cfg, NDManager manager, IntConsumer onStep) {
        Objects.requireNonNull(onStep, "onStep");
        GaussianNoise noise = new GaussianNoise(cfg.seed());
        int[] ts = Steps.timesteps(schedule, cfg);
        NDArray x = noise.next(manager, shape);                      // x_T
        History history = null;
        for (int i = 0; i < ts.length; i++) {
            int t = ts[i];
            int tPrev = i + 1 < ts.length ? ts[i + 1] : -1;
            try (NDManager scope = manager.newSubManager()) {
                x.attach(scope);                                      // the old x_t and history die
                if (history != null) {
                    history.x0().attach(scope);
                }
                Steps.Output p = Steps.predict(model, cfg, x, t, scope);
                NDArray out = p.output();
                NDArray tArr = p.t();
                NDArray x0 = prediction.toX0(schedule, x, out, tArr);
                // Lower order into t = 0 (Lu et al. use lower orders at the final steps): λ_0 is far above the
                // rest of a leading grid, r = h_{i−1}/h_i ≪ 1, and the extrapolation overshoots.
                History usable = tPrev == 0 ? null : history;
                Result result = step(schedule, x, x0, t, tPrev, usable);
                x = result.x();
                history = result.history();
                x.attach(manager);                                    // x and the new history survive
                history.x0().attach(manager);
            }
            onStep.accept(i + 1);
        }
        history.x0().close();
        return x;
    }
}
