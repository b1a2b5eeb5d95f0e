package ldm4j.diffusion.objective;

import ai.djl.ndarray.NDArray;

/**
 * The conversions between noise ε, data x_0 and velocity v at one noise level, one expression each.
 *
 * <p>With a = √ᾱ_t and s = √(1 − ᾱ_t) (so a² + s² = 1) the forward process is x_t = a x_0 + s ε
 * (Ho et al. 2020, eq. 4) and the velocity is v = a ε − s x_0 (Salimans &amp; Ho 2022, §4). The
 * coefficients are arrays that broadcast against the data: (N, 1, …, 1) from {@link
 * ldm4j.diffusion.schedule.NoiseSchedule#extract}, or a scalar array. Results live on the manager
 * of the first NDArray argument.
 */
public final class Parameterization {
    private Parameterization() {}

    /** x_0 = (x_t − s ε)/a. */
    public static NDArray x0FromEps(NDArray xt, NDArray eps, NDArray a, NDArray s) {
        return xt.sub(eps.mul(s)).div(a);
    }

    /** ε = (x_t − a x_0)/s. */
    public static NDArray epsFromX0(NDArray xt, NDArray x0, NDArray a, NDArray s) {
        return xt.sub(x0.mul(a)).div(s);
    }

    /** v = a ε − s x_0 (Salimans &amp; Ho 2022). */
    public static NDArray vFromX0Eps(NDArray x0, NDArray eps, NDArray a, NDArray s) {
        return eps.mul(a).sub(x0.mul(s));
    }

    /** x_0 = a x_t − s v. */
    public static NDArray x0FromV(NDArray xt, NDArray v, NDArray a, NDArray s) {
        return xt.mul(a).sub(v.mul(s));
    }

    /** ε = s x_t + a v. */
    public static NDArray epsFromV(NDArray xt, NDArray v, NDArray a, NDArray s) {
        return xt.mul(s).add(v.mul(a));
    }
}
