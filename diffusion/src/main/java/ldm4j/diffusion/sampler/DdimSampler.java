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
 * DDIM (Song et al. 2021, "Denoising Diffusion Implicit Models"): any number of steps, η from 0
 * (deterministic) to 1 (DDPM's posterior variance).
 *
 * <pre>
 * variable   symbol (DDIM paper writes α for ᾱ)
 * a, aPrev   α_t, α_{t−1}: ᾱ at this and the next visited step (ᾱ_{−1} = 1)
 * x0         "predicted x_0"  = (x_t − √(1−α_t) ε_θ)/√α_t         eq. 12
 * eps        ε_θ(x_t)
 * sigma      σ_t(η) = η √((1−α_{t−1})/(1−α_t)) √(1 − α_t/α_{t−1})  eq. 16
 * dir        "direction pointing to x_t" = √(1 − α_{t−1} − σ²) ε_θ  eq. 12
 * </pre>
 */
public final class DdimSampler {
    private DdimSampler() {}

    /** σ_t(η) of eq. 16 for the step t → tPrev. */
    public static double sigma(NoiseSchedule schedule, int t, int tPrev, double eta) {
        double a = schedule.alphaBar(t);
        double aPrev = schedule.alphaBar(tPrev);
        return eta * Math.sqrt((1 - aPrev) / (1 - a) * (1 - a / aPrev));
    }

    /**
     * One DDIM update x_t → x_{tPrev} (eq. 12, σ from eq. 16).
     *
     * @param x0 the model's x_0 estimate at (x_t, t)
     * @param eps the model's ε estimate at (x_t, t)
     * @param noise N(0, I) of x_t's shape; unused (may be null) when σ = 0
     */
    public static NDArray step(NoiseSchedule schedule, NDArray x0, NDArray eps, int t, int tPrev, double eta,
            NDArray noise) {
        double aPrev = schedule.alphaBar(tPrev);
        double sigma = sigma(schedule, t, tPrev, eta);
        // 1 − α_{t−1} − σ² can round to a tiny negative number when σ² = 1 − α_{t−1}
        double dir = Math.sqrt(Math.max(1 - aPrev - sigma * sigma, 0));
        NDArray next = Scalars.mul(x0, Math.sqrt(aPrev)).add(Scalars.mul(eps, dir));
        return sigma == 0 ? next : next.add(Scalars.mul(noise, sigma));
    }

    /** Draws a batch of {@code shape}: x_T ~ N(0, I), then {@link #step} over the visited steps. */
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
                NDArray eps = prediction.toEps(schedule, x, out, tArr);
                NDArray z = sigma(schedule, t, tPrev, cfg.eta()) == 0 ? null : noise.next(scope, shape);
                x = step(schedule, x0, eps, t, tPrev, cfg.eta(), z);
                x.attach(manager);                                    // x_{tPrev} survives
            }
            onStep.accept(i + 1);
        }
        return x;
    }
}
