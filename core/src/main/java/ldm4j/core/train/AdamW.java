package ldm4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ldm4j.core.nn.Scalars;

/**
 * Adam with decoupled weight decay (Loshchilov &amp; Hutter 2019, "Decoupled Weight Decay
 * Regularization", Algorithm 2), written out so that its state can be checkpointed: DJL's {@code
 * Optimizer.adamW()} keeps its moments private.
 *
 * <p>One step with gradient {@code g}, learning rate {@code η}, step number {@code t} (1 for the
 * first step), in the same order as {@code torch.optim.AdamW}:
 *
 * <pre>
 * w ← w · (1 − η·λ)                      decoupled decay: uses the weight, not the gradient
 * m ← β1·m + (1 − β1)·g
 * v ← β2·v + (1 − β2)·g²
 * w ← w − η/(1 − β1^t) · m / (sqrt(v)/sqrt(1 − β2^t) + ε)   bias-corrected (Kingma &amp; Ba, Alg. 1)
 * </pre>
 *
 * <p>State ({@code m}, {@code v} per parameter, keyed by the stable parameter name) is created lazily
 * on the root manager given to the constructor; the step count is shared by all parameters. All
 * updates are in place and every temporary is closed on the spot, so a step leaves nothing behind in
 * any manager. Call it after the {@code GradientCollector} has closed: PyTorch refuses in-place
 * updates of arrays that require a gradient while it records.
 */
public final class AdamW {
    /** State-dict key of the step count, an int64 scalar. */
    public static final String STEP_KEY = "adamw.step";
    /** State-dict key prefix of the first moments: {@code adamw.m.<parameter name>}. */
    public static final String M_PREFIX = "adamw.m.";
    /** State-dict key prefix of the second moments: {@code adamw.v.<parameter name>}. */
    public static final String V_PREFIX = "adamw.v.";

    private record Moments(NDArray m, NDArray v) {}

    private final NDManager root;
    private final AdamWConfig config;
    private final Map<String, Moments> state = new LinkedHashMap<>();
    private long steps;

    /**
     * @param root the long-lived manager that holds the parameters; the moments are created on it
     * @param config betas, eps and weight decay
     */
    public AdamW(NDManager root, AdamWConfig config) {
        this.root = root;
        this.config = config;
    }

    public AdamWConfig config() {
        return config;
    }

    /** Number of steps applied so far (restored by {@link #loadStateDict}). */
    public long stepCount() {
        return steps;
    }

    /**
     * Collects the gradients of {@code params} into {@code scope} and applies one step. Frozen
     * parameters and parameters without gradient are skipped. Gradients are not zeroed here.
     *
     * @param params the model's parameters, as from {@code block.getParameters()}
     * @param lr the learning rate η for this step
     * @param scope the step's manager
     */
    public void step(PairList<String, Parameter> params, double lr, NDManager scope) {
        step(Gradients.collect(params, scope), lr);
    }

    /**
     * Applies one AdamW step to each weight in place.
     *
     * @param grads this step's gradients (after clipping)
     * @param lr the learning rate η for this step, ≥ 0
     */
    public void step(List<ParamGrad> grads, double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("lr must be finite and >= 0, got " + lr);
        }
        long t = steps + 1;
        double b1 = config.beta1();
        double b2 = config.beta2();
        float decay = (float) (1 - lr * config.weightDecay());
        float stepSize = (float) (lr / (1 - Math.pow(b1, t)));
        float sqrtBiasCorrection2 = (float) Math.sqrt(1 - Math.pow(b2, t));
        float eps = (float) config.eps();
        for (ParamGrad pg : grads) {
            Moments s = momentsOf(pg);
            NDArray w = pg.weight();
            NDArray g = pg.grad();
            if (decay != 1f) {
                Scalars.muli(w, decay);
            }
            Scalars.muli(s.m(), b1);
            try (NDArray scaled = Scalars.mul(g, 1 - b1)) {
                s.m().addi(scaled);
            }
            Scalars.muli(s.v(), b2);
            try (NDArray squared = g.square()) {
                s.v().addi(Scalars.muli(squared, 1 - b2));
            }
            // v.sqrt() and m.div() belong to the root manager (first operand): close them here.
            try (NDArray denom = s.v().sqrt()) {
                Scalars.divi(denom, sqrtBiasCorrection2).addi(eps);
                try (NDArray update = s.m().div(denom)) {
                    w.subi(Scalars.muli(update, stepSize));
                }
            }
        }
        steps = t;
    }

    /** Moments of one parameter, created as zeros on the root manager on first use. */
    private Moments momentsOf(ParamGrad pg) {
        NDArray w = pg.weight();
        Moments s = state.get(pg.name());
        if (s == null) {
            s = new Moments(
                    root.zeros(w.getShape(), w.getDataType(), w.getDevice()),
                    root.zeros(w.getShape(), w.getDataType(), w.getDevice()));
            state.put(pg.name(), s);
        } else if (!s.m().getShape().equals(w.getShape())) {
            throw new IllegalStateException("AdamW state for parameter " + pg.name() + " has shape "
                    + s.m().getShape() + " but the parameter has shape " + w.getShape()
                    + "; was the state loaded from another model?");
        }
        return s;
    }

    /**
     * A copy of the optimizer state, for a checkpoint: {@value #STEP_KEY} (int64 scalar), then
     * {@code adamw.m.<name>} and {@code adamw.v.<name>} per parameter that has taken a step. Each
     * array is named after its key (for safetensors).
     *
     * @param target the manager that owns the copies (e.g. the checkpoint-writing scope)
     * @return an insertion-ordered map from key to copy
     */
    public Map<String, NDArray> stateDict(NDManager target) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        NDArray step = target.create(steps);
        step.setName(STEP_KEY);
        out.put(STEP_KEY, step);
        for (Map.Entry<String, Moments> e : state.entrySet()) {
            out.put(M_PREFIX + e.getKey(), copy(e.getValue().m(), M_PREFIX + e.getKey(), target));
            out.put(V_PREFIX + e.getKey(), copy(e.getValue().v(), V_PREFIX + e.getKey(), target));
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * Replaces the whole state with copies of the {@code adamw.*} entries of {@code dict}; other keys
     * are ignored, so a full checkpoint map can be passed. The restore is exact: continuing from it
     * gives bit-identical weights to a run that was never interrupted.
     *
     * @param dict a map as written by {@link #stateDict}
     * @throws IllegalArgumentException naming the key when the step is missing or not an integer
     *     scalar, or when a moment has no partner
     */
    public void loadStateDict(Map<String, NDArray> dict) {
        NDArray step = dict.get(STEP_KEY);
        if (step == null) {
            throw new IllegalArgumentException("AdamW state has no " + STEP_KEY + " entry");
        }
        if (!step.getShape().isScalar() || !step.getDataType().isInteger()) {
            throw new IllegalArgumentException(STEP_KEY + " must be an integer scalar, got "
                    + step.getDataType() + " " + step.getShape());
        }
        long loadedSteps;
        if (step.getDataType() == DataType.INT64) {
            loadedSteps = step.getLong();
        } else {
            try (NDArray asLong = step.toType(DataType.INT64, true)) {
                loadedSteps = asLong.getLong();
            }
        }
        // Validate everything before copying anything, so a bad map leaves the state untouched.
        for (String key : dict.keySet()) {
            if (key.equals(STEP_KEY)) {
                continue;
            }
            if (key.startsWith(M_PREFIX)) {
                String name = key.substring(M_PREFIX.length());
                if (!dict.containsKey(V_PREFIX + name)) {
                    throw new IllegalArgumentException("AdamW state has " + key + " but no " + V_PREFIX + name);
                }
            } else if (key.startsWith(V_PREFIX)) {
                String name = key.substring(V_PREFIX.length());
                if (!dict.containsKey(M_PREFIX + name)) {
                    throw new IllegalArgumentException("AdamW state has " + key + " but no " + M_PREFIX + name);
                }
            } else if (key.startsWith("adamw.")) {
                throw new IllegalArgumentException("unknown AdamW state entry " + key);
            }
        }
        Map<String, Moments> loaded = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : dict.entrySet()) {
            if (e.getKey().startsWith(M_PREFIX)) {
                String name = e.getKey().substring(M_PREFIX.length());
                NDArray m = copy(e.getValue(), null, root);
                NDArray v = copy(dict.get(V_PREFIX + name), null, root);
                loaded.put(name, new Moments(m, v));
            }
        }
        for (Moments old : state.values()) {
            old.m().close();
            old.v().close();
        }
        state.clear();
        state.putAll(loaded);
        steps = loadedSteps;
    }

    /** A deep copy owned by {@code target} (duplicate() lands on the source's manager first). */
    private static NDArray copy(NDArray source, String name, NDManager target) {
        NDArray c = source.duplicate();
        c.attach(target);
        if (name != null) {
            c.setName(name);
        }
        return c;
    }
}
