package ldm4j.core.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import java.util.function.Function;

/**
 * Float64 finite-difference checks of autograd, with {@link GcPressure} between the forward pass
 * and backward: a scalar that autograd saved but DJL freed makes the analytic gradient disagree
 * with the numerical one, which reads no saved tensor.
 */
public final class GradCheck {
    private GradCheck() {}

    /**
     * Checks ∂/∂x Σ w ⊙ f(x) at {@code x0} against central differences, where w are fixed random
     * weights (so that errors in different outputs cannot cancel).
     *
     * @param f a function of one float64 array; any output shape
     * @param x0 the point, row-major in {@code shape}
     * @param h the step of the central difference
     * @param tol allowed |analytic − numeric| relative to max(1, |numeric|)
     */
    public static void check(NDManager manager, Function<NDArray, NDArray> f, double[] x0, Shape shape, double h,
            double tol) {
        double[] analytic = analytic(manager, f, x0, shape);
        double[] x = x0.clone();
        for (int i = 0; i < x.length; i++) {
            x[i] = x0[i] + h;
            double up = value(manager, f, x, shape);
            x[i] = x0[i] - h;
            double down = value(manager, f, x, shape);
            x[i] = x0[i];
            double numeric = (up - down) / (2 * h);
            if (!(Math.abs(analytic[i] - numeric) <= tol * Math.max(1, Math.abs(numeric)))) {
                throw new AssertionError("d/dx[" + i + "]: autograd " + analytic[i] + ", finite difference " + numeric);
            }
        }
    }

    /** The autograd gradient of Σ w ⊙ f(x), with {@link GcPressure#apply} before backward. */
    public static double[] analytic(NDManager manager, Function<NDArray, NDArray> f, double[] x0, Shape shape) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(x0, shape);
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = f.apply(x);
                NDArray loss = y.mul(weights(scope, y)).sum();
                GcPressure.apply();
                gc.backward(loss);
            }
            return x.getGradient().toDoubleArray();
        }
    }

    private static double value(NDManager manager, Function<NDArray, NDArray> f, double[] x0, Shape shape) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray y = f.apply(scope.create(x0, shape));
            return y.mul(weights(scope, y)).sum().getDouble();
        }
    }

    private static NDArray weights(NDManager scope, NDArray like) {
        Random rnd = new Random(7);
        double[] w = new double[Math.toIntExact(like.size())];
        for (int i = 0; i < w.length; i++) {
            w[i] = 0.5 + rnd.nextDouble();
        }
        return scope.create(w, like.getShape()).toType(like.getDataType(), false);
    }

    /** {@code n} seeded values in [−scale, scale]. */
    public static double[] uniform(int n, double scale, long seed) {
        Random rnd = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = scale * (2 * rnd.nextDouble() - 1);
        }
        return v;
    }
}
