package ldm4j.diffusion.sampler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ldm4j.core.nn.Scalars;

/**
 * Classifier-free guidance (Ho &amp; Salimans 2022, eq. 6 rewritten with w as the scale of the
 * conditional term): out = uncond + w·(cond − uncond).
 *
 * <p>w = 1 is the conditional model, w = 0 the unconditional one, w &gt; 1 extrapolates away from
 * the unconditional prediction. Because ε, x_0 and v are affine in each other at fixed x_t with
 * coefficients that sum to one, guiding the v output is the same as guiding ε.
 */
public final class Guidance {
    private Guidance() {}

    /** uncond + w·(cond − uncond). */
    public static NDArray combine(NDArray cond, NDArray uncond, double w) {
        return uncond.add(Scalars.mul(cond.sub(uncond), w));
    }

    /**
     * The (guided) prediction at x_t. Without labels the model is called once, unconditionally.
     * With labels it is called once on the doubled batch [x_t; x_t] with labels [labels; null],
     * except for w = 1 (only the conditional half is needed) and w = 0 (only the null half).
     *
     * @param xt (N, …) on the step's scope
     * @param t int64 (N,)
     * @param labels one class per sample, or null
     */
    public static NDArray predict(Denoiser model, NDArray xt, NDArray t, int[] labels, int nullClass, double w) {
        if (labels == null) {
            return model.predict(xt, t, null);
        }
        long n = xt.getShape().get(0);
        if (labels.length != n) {
            throw new IllegalArgumentException("classLabels has " + labels.length + " entries but the batch has " + n);
        }
        NDManager scope = xt.getManager();
        if (w == 1.0 || w == 0.0) {
            long[] half = new long[labels.length];
            for (int i = 0; i < labels.length; i++) {
                half[i] = w == 1.0 ? labels[i] : nullClass;
            }
            return model.predict(xt, t, scope.create(half));
        }
        long[] both = new long[2 * labels.length];
        for (int i = 0; i < labels.length; i++) {
            both[i] = labels[i];
            both[labels.length + i] = nullClass;
        }
        NDArray out = model.predict(
                NDArrays.concat(new NDList(xt, xt)), NDArrays.concat(new NDList(t, t)), scope.create(both));
        NDList halves = out.split(2);
        return combine(halves.get(0), halves.get(1), w);
    }
}
