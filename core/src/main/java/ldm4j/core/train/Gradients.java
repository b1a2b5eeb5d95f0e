package ldm4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * Leak-free access to parameter gradients.
 *
 * <p>Two DJL 0.36 / PyTorch facts shape this class. {@code NDArray.getGradient()} returns a fresh
 * wrapper of the engine's gradient tensor that belongs to the <em>parameter's</em> manager, so each
 * call adds an array to the root manager unless it is attached elsewhere. And gradients accumulate
 * across backward passes: neither {@code GradientCollector} nor anything else here clears them, so a
 * trainer must call {@link #zero} after every step, including the steps it skips.
 */
public final class Gradients {
    private Gradients() {}

    /**
     * Gradients of every parameter that takes one, in parameter order, each attached to {@code
     * scope}. Parameters that are frozen ({@code requiresGradient() == false}) or whose array
     * carries no gradient are left out.
     *
     * @param params the model's parameters, as from {@code block.getParameters()}
     * @param scope the step's manager; the gradient wrappers close with it
     * @return one {@link ParamGrad} per trainable parameter
     */
    public static List<ParamGrad> collect(PairList<String, Parameter> params, NDManager scope) {
        List<ParamGrad> out = new ArrayList<>(params.size());
        for (Pair<String, Parameter> p : params) {
            Parameter param = p.getValue();
            if (!param.requiresGradient() || !param.isInitialized()) {
                continue;
            }
            NDArray weight = param.getArray();
            if (!weight.hasGradient()) {
                continue;
            }
            NDArray grad = weight.getGradient();
            grad.attach(scope); // the wrapper was born on the parameter's (root) manager
            out.add(new ParamGrad(p.getKey(), weight, grad));
        }
        return out;
    }

    /**
     * Sets every collected gradient to zero in place. It assigns rather than multiplies, so NaN and
     * infinite gradients are cleared too ({@code 0 · NaN} would stay NaN).
     *
     * @param grads gradients from {@link #collect}
     */
    public static void zero(List<ParamGrad> grads) {
        NDIndex all = new NDIndex("...");
        for (ParamGrad g : grads) {
            g.grad().set(all, 0f); // the scalar it creates belongs to the grad's (step) manager
        }
    }
}
