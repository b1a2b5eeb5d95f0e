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
 * DDPM ancestral sampling (Ho et al. 2020, Algorithm 2): x_{t−1} ~ q(x_{t−1} | x_t, x̂_0), the
 * Gaussian posterior of eq. 6–7 with the model's x_0 estimate plugged in and variance β̃_t.
 *
 * <p>With n &lt; T steps the chain jumps from t to s &lt; t; the posterior is then that of the
 * respaced process with ᾱ_{t|s} = ᾱ_t/ᾱ_s (Nichol &amp; Dhariwal 2021, §4), which is eq. 7 when
 * s = t − 1.
 *
 * <pre>
 * variable   symbol
 * a, aPrev   ᾱ_t, ᾱ_s (s = tPrev; ᾱ_{−1} = 1)
 * beta       β_{t|s} = 1 − ᾱ_t/ᾱ_s   (= β_t when s = t − 1)
 * coef1      √ᾱ_s β_{t|s}/(1 − ᾱ_t)           multiplies x̂_0   eq. 7
 * coef2      √(ᾱ_t/ᾱ_s) (1 − ᾱ_s)/(1 − ᾱ_t)   multiplies x_t   eq. 7
 * variance   β̃ = β_{t|s} (1 − ᾱ_s)/(1 − ᾱ_t)                   eq. 7
 * </pre>
 */
public final class DdpmSampler {
    private DdpmSampler() {}

    /** β̃ of the step t → tPrev (eq. 7); 0 when tPrev = −1. */
    public static double posteriorVariance(NoiseSchedule schedule, int t, int tPrev) {
        double a = schedule.alphaBar(t);
        double aPrev = schedule.alphaBar(tPrev);
        return (1 - a / aPrev) * (1 - aPrev) / (1 - a);
    }

    /**
     * One ancestral step x_t → x_{tPrev}: the posterior mean of eq. 7 plus √β̃ · noise.
     *
     * @param x0 the model's x_0 estimate at (x_t, t)
     * @param noise N(0, I) of x_t's shape; unused (may be null) when tPrev = −1
     */
    public static NDArray step(NoiseSchedule schedule, NDArray xt, NDArray x0, int t, int tPrev, NDArray noise) {
        double a = schedule.alphaBar(t);
        double aPrev = schedule.alphaBar(tPrev);
        double beta = 1 - a / aPrev;
        double coef1 = Math.sqrt(aPrev) * beta / (1 - a);
        double coef2 = Math.sqrt(a / aPrev) * (1 - aPrev) / (1 - a);
        double variance = beta * (1 - aPrev) / (1 - a);
        NDArray mean = Scalars.mul(x0, coef1).add(Scalars.mul(xt, coef2));
        return variance == 0 ? mean : mean.add(Scalars.mul(noise, Math.sqrt(variance)));
    }

    /** Draws a batch of {@code shape}: x_T ~ N(0, I), then {@link #step} down to x_0. */
    public static NDArray sample(Denoiser model, Prediction prediction, NoiseSchedule schedule, Shape shape,
            SamplerConfig cfg, NDManager manager, IntConsumer onStep) {
        Objects.requireNonNull(onStep, "onStep");
        GaussianNoise noise = new GaussianNoise(cfg.seed());
        int[] ts = Steps.timesteps(schedule, cfg);
        NDArray x = noise.next(manager, shape);                      // x_T
        for (int i = 0; i < ts.length; i++) {
            int t = ts[i];
            int tPrev = i + 1 < ts.length ? ts[i + 1] : -1;
            try (NDManager scope = manager.newSubManager()) {
                x.attach(scope);                                      // the old x_t dies with the step
                Steps.Output p = Steps.predict(model, cfg, x, t, scope);
                NDArray out = p.output();
                NDArray tArr = p.t();
                NDArray x0 = prediction.toX0(schedule, x, out, tArr);
                NDArray z = tPrev < 0 ? null : noise.next(scope, shape);
                x = step(schedule, x, x0, t, tPrev, z);
                x.attach(manager);                                    // x_{t−1} survives
            }
            onStep.accept(i + 1);
        }
        return x;
    }
}
