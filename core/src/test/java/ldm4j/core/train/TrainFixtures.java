package ldm4j.core.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.PairList;

/** Hand-made parameters with chosen gradients, for the training-utility tests. */
final class TrainFixtures {
    private TrainFixtures() {}

    /** A trainable parameter holding {@code values} (shape {@code shape}) on {@code root}. */
    static Parameter param(NDManager root, String name, Shape shape, float... values) {
        NDArray array = root.create(values, shape);
        array.setRequiresGradient(true);
        return Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optArray(array).build();
    }

    static Parameter param(NDManager root, String name, float... values) {
        return param(root, name, new Shape(values.length), values);
    }

    static PairList<String, Parameter> list(Parameter... params) {
        PairList<String, Parameter> out = new PairList<>();
        for (Parameter p : params) {
            out.add(p.getName(), p);
        }
        return out;
    }

    /**
     * Runs backward through {@code Σ_p Σ (c_p · w_p)}, which adds {@code c_p} to the gradient of
     * parameter p (PyTorch accumulates). Everything it computes belongs to {@code scope}.
     */
    static void backwardWithGradients(PairList<String, Parameter> params, NDManager scope, float[]... grads) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray total = null;
            for (int i = 0; i < grads.length; i++) {
                NDArray w = params.get(i).getValue().getArray();
                NDArray c = scope.create(grads[i], w.getShape());
                NDArray term = c.mul(w).sum(); // c first: the result belongs to scope, not root
                total = total == null ? term : total.add(term);
            }
            gc.backward(total);
        }
    }

    /** The parameter's current gradient, copied to the heap. */
    static float[] gradientOf(Parameter p) {
        try (NDArray g = p.getArray().getGradient()) {
            return g.toFloatArray();
        }
    }

    static float[] valuesOf(Parameter p) {
        return p.getArray().toFloatArray();
    }
}
