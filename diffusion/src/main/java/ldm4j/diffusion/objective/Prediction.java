package ldm4j.diffusion.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ldm4j.core.io.ConfigEnum;
import ldm4j.diffusion.schedule.NoiseSchedule;

/**
 * What a denoiser outputs: the noise ε (Ho et al. 2020) or the velocity v = √ᾱ ε − √(1 − ᾱ) x_0
 * (Salimans &amp; Ho 2022).
 *
 * <p>Every method takes per-sample steps t of shape (N,) (int32 or int64) and gathers the
 * coefficients with {@link NoiseSchedule#extract}. Results live on the manager of {@code xt} (or
 * {@code x0} for {@link #target}); the temporary coefficient arrays live on t's manager, so call
 * these inside a step's scope.
 */
public enum Prediction implements ConfigEnum {
    EPS("eps"),
    V("v");

    private final String id;

    Prediction(String id) {
        this.id = id;
    }

    /** The name used in configs and on the command line. */
    @Override
    public String id() {
        return id;
    }

    /** The regression target for training on x_t = qSample(x0, t, eps): ε, or v. */
    public NDArray target(NoiseSchedule schedule, NDArray x0, NDArray eps, NDArray t) {
        return switch (this) {
            case EPS -> eps.duplicate();
            case V -> Parameterization.vFromX0Eps(x0, eps, a(schedule, t, x0.getShape()), s(schedule, t, x0.getShape()));
        };
    }

    /** The model's x_0 estimate from its output {@code out} at x_t. */
    public NDArray toX0(NoiseSchedule schedule, NDArray xt, NDArray out, NDArray t) {
        NDArray a = a(schedule, t, xt.getShape());
        NDArray s = s(schedule, t, xt.getShape());
        return switch (this) {
            case EPS -> Parameterization.x0FromEps(xt, out, a, s);
            case V -> Parameterization.x0FromV(xt, out, a, s);
        };
    }

    /** The model's ε estimate from its output {@code out} at x_t. */
    public NDArray toEps(NoiseSchedule schedule, NDArray xt, NDArray out, NDArray t) {
        return switch (this) {
            case EPS -> out.duplicate();
            case V -> Parameterization.epsFromV(xt, out, a(schedule, t, xt.getShape()), s(schedule, t, xt.getShape()));
        };
    }

    /** The output a model of this kind gives when its ε estimate at x_t is {@code eps}. */
    public NDArray fromEps(NoiseSchedule schedule, NDArray xt, NDArray eps, NDArray t) {
        return switch (this) {
            case EPS -> eps.duplicate();
            case V -> {
                NDArray a = a(schedule, t, xt.getShape());
                NDArray s = s(schedule, t, xt.getShape());
                yield Parameterization.vFromX0Eps(Parameterization.x0FromEps(xt, eps, a, s), eps, a, s);
            }
        };
    }

    /** Parses "eps" or "v" (case-insensitive). */
    public static Prediction fromString(String name) {
        return ConfigEnum.parse(Prediction.class, name);
    }

    private static NDArray a(NoiseSchedule schedule, NDArray t, Shape shape) {
        return schedule.extract(schedule.sqrtAlphaBar(), t, shape);
    }

    private static NDArray s(NoiseSchedule schedule, NDArray t, Shape shape) {
        return schedule.extract(schedule.sqrtOneMinusAlphaBar(), t, shape);
    }
}
