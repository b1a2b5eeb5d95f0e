package ldm4j.diffusion.sampler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.function.IntConsumer;
import ldm4j.core.io.ConfigEnum;
import ldm4j.diffusion.objective.Prediction;
import ldm4j.diffusion.schedule.NoiseSchedule;

/**
 * The sampling algorithms, by name. A pipeline calls:
 *
 * <pre>{@code
 * SamplerConfig cfg = SamplerConfig.of(50, seed).withGuidance(labels, nullClass, 3.0);
 * NDArray latents = Sampler.fromString("dpm++2m")
 *         .sample(unet::predict, Prediction.V, schedule, new Shape(n, 4, 8, 8), cfg, manager, bar::stepTo);
 * }</pre>
 */
public enum Sampler implements ConfigEnum {
    /** Ancestral sampling, {@link DdpmSampler}. */
    DDPM("ddpm"),
    /** DDIM with η, {@link DdimSampler}. */
    DDIM("ddim"),
    /** DPM-Solver++(2M), {@link DpmSolverPP2M}. */
    DPMPP_2M("dpm++2m");

    private final String id;

    Sampler(String id) {
        this.id = id;
    }

    /** The name used in configs and on the command line. */
    @Override
    public String id() {
        return id;
    }

    /**
     * Draws {@code shape} samples; the result lives on {@code manager}, and every temporary of a
     * step is freed when the step ends.
     *
     * @param model the denoiser, which outputs {@code prediction}
     * @param onStep called with the number of steps done (1 … cfg.steps()) after each step
     */
    public NDArray sample(Denoiser model, Prediction prediction, NoiseSchedule schedule, Shape shape,
            SamplerConfig cfg, NDManager manager, IntConsumer onStep) {
        return switch (this) {
            case DDPM -> DdpmSampler.sample(model, prediction, schedule, shape, cfg, manager, onStep);
            case DDIM -> DdimSampler.sample(model, prediction, schedule, shape, cfg, manager, onStep);
            case DPMPP_2M -> DpmSolverPP2M.sample(model, prediction, schedule, shape, cfg, manager, onStep);
        };
    }

    /** As above, without a progress hook. */
    public NDArray sample(Denoiser model, Prediction prediction, NoiseSchedule schedule, Shape shape,
            SamplerConfig cfg, NDManager manager) {
        return sample(model, prediction, schedule, shape, cfg, manager, done -> {});
    }

    /** Parses "ddpm", "ddim" or "dpm++2m" (case-insensitive). */
    public static Sampler fromString(String name) {
        return ConfigEnum.parse(Sampler.class, name);
    }
}
