package ldm4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import ldm4j.core.nn.Scalars;

/**
 * Exponential moving average of a model's weights (Polyak &amp; Juditsky 1992; used for sampling by
 * DDPM, Ho et al. 2020, §4, and LDM): after update n,
 *
 * <pre>
 * shadow ← d_n · shadow + (1 − d_n) · w,    d_n = {@link EmaConfig#decayAt}(n)
 * </pre>
 *
 * <p>Every parameter of the model is averaged, trainable or not (non-trainable ones are running
 * statistics, which average just as well). The shadows are copies of the weights made at
 * construction on the root manager; updates are in place and leave nothing behind. For evaluation,
 * {@link #swap} exchanges shadows and weights and a second {@code swap} undoes it; {@link #copyTo}
 * overwrites the weights for good (e.g. to export the EMA model).
 */
public final class Ema {
    /** State-dict key of the update count, an int64 scalar. */
    public static final String UPDATES_KEY = "ema.updates";
    /** State-dict key prefix of the shadows: {@code ema.<parameter name>}. */
    public static final String PREFIX = "ema.";

    private final NDManager root;
    private final EmaConfig config;
    private final Map<String, NDArray> shadows = new LinkedHashMap<>();
    private long updates;

    /**
     * Starts the average at the current weights.
     *
     * @param root the long-lived manager that owns the shadow copies
     * @param config decay and warm-up
     * @param params the model's parameters, as from {@code block.getParameters()}; all must be
     *     initialised
     */
    public Ema(NDManager root, EmaConfig config, PairList<String, Parameter> params) {
        this.root = root;
        this.config = config;
        for (Pair<String, Parameter> p : params) {
            shadows.put(p.getKey(), copy(p.getValue().getArray(), PREFIX + p.getKey(), root));
        }
    }

    public EmaConfig config() {
        return config;
    }

    /** Updates applied so far (restored by {@link #loadStateDict}). */
    public long updates() {
        return updates;
    }

    /** The decay the next {@link #update} will use. */
    public double nextDecay() {
        return config.decayAt(updates + 1);
    }

    /**
     * The live shadow of one parameter. It belongs to this object: read it, do not close it.
     *
     * @param name a parameter name
     * @return its average
     */
    public NDArray shadow(String name) {
        NDArray s = shadows.get(name);
        if (s == null) {
            throw new IllegalArgumentException("EMA has no parameter named " + name);
        }
        return s;
    }

    /**
     * Moves every shadow toward the current weights: {@code shadow ← d·shadow + (1 − d)·w}.
     *
     * @param params the same parameters the EMA was made from
     */
    public void update(PairList<String, Parameter> params) {
        float d = (float) nextDecay();
        for (Pair<String, Parameter> p : params) {
            NDArray shadow = shadowFor(p);
            Scalars.muli(shadow, d);
            // the product belongs to the weight's (root) manager: close it at once.
            try (NDArray part = Scalars.mul(p.getValue().getArray(), 1f - d)) {
                shadow.addi(part);
            }
        }
        updates++;
    }

    /**
     * Overwrites the weights with their averages (the shadows are kept).
     *
     * @param params the same parameters the EMA was made from
     */
    public void copyTo(PairList<String, Parameter> params) {
        NDIndex all = new NDIndex("...");
        for (Pair<String, Parameter> p : params) {
            p.getValue().getArray().set(all, shadowFor(p));
        }
    }

    /**
     * Exchanges weights and shadows in place: after one call the model holds the averages (for
     * evaluation or sampling), after a second call everything is as before. Do not {@link #update}
     * in between.
     *
     * @param params the same parameters the EMA was made from
     */
    public void swap(PairList<String, Parameter> params) {
        NDIndex all = new NDIndex("...");
        for (Pair<String, Parameter> p : params) {
            NDArray weight = p.getValue().getArray();
            NDArray shadow = shadowFor(p);
            try (NDArray saved = weight.duplicate()) { // on the weight's manager: closed here
                weight.set(all, shadow);
                shadow.set(all, saved);
            }
        }
    }

    private NDArray shadowFor(Pair<String, Parameter> p) {
        NDArray s = shadows.get(p.getKey());
        if (s == null) {
            throw new IllegalArgumentException("EMA has no parameter named " + p.getKey()
                    + "; it was made from another parameter list");
        }
        if (!s.getShape().equals(p.getValue().getArray().getShape())) {
            throw new IllegalStateException("EMA shadow of " + p.getKey() + " has shape " + s.getShape()
                    + " but the parameter has shape " + p.getValue().getArray().getShape());
        }
        return s;
    }

    /**
     * A copy of the EMA state, for a checkpoint: {@value #UPDATES_KEY} (int64 scalar) and {@code
     * ema.<name>} per parameter, each array named after its key.
     *
     * @param target the manager that owns the copies
     * @return an insertion-ordered map from key to copy
     */
    public Map<String, NDArray> stateDict(NDManager target) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        NDArray n = target.create(updates);
        n.setName(UPDATES_KEY);
        out.put(UPDATES_KEY, n);
        for (Map.Entry<String, NDArray> e : shadows.entrySet()) {
            out.put(PREFIX + e.getKey(), copy(e.getValue(), PREFIX + e.getKey(), target));
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * Restores the state from copies of the {@code ema.*} entries of {@code dict}; other keys are
     * ignored. Every parameter this EMA tracks must be present with the same shape.
     *
     * @param dict a map as written by {@link #stateDict}
     * @throws IllegalArgumentException naming the key that is missing, unknown or mis-shaped
     */
    public void loadStateDict(Map<String, NDArray> dict) {
        NDArray n = dict.get(UPDATES_KEY);
        if (n == null || !n.getShape().isScalar() || n.getDataType() != DataType.INT64) {
            throw new IllegalArgumentException("EMA state needs an int64 scalar " + UPDATES_KEY);
        }
        for (String key : dict.keySet()) {
            if (key.startsWith(PREFIX) && !key.equals(UPDATES_KEY)
                    && !shadows.containsKey(key.substring(PREFIX.length()))) {
                throw new IllegalArgumentException("EMA state has " + key + " but the model has no such parameter");
            }
        }
        for (Map.Entry<String, NDArray> e : shadows.entrySet()) {
            String key = PREFIX + e.getKey();
            NDArray source = dict.get(key);
            if (source == null) {
                throw new IllegalArgumentException("EMA state has no " + key);
            }
            if (!source.getShape().equals(e.getValue().getShape())) {
                throw new IllegalArgumentException(key + " has shape " + source.getShape()
                        + ", expected " + e.getValue().getShape());
            }
        }
        NDIndex all = new NDIndex("...");
        for (Map.Entry<String, NDArray> e : shadows.entrySet()) {
            e.getValue().set(all, dict.get(PREFIX + e.getKey()));
        }
        updates = n.getLong();
    }

    /** A deep copy owned by {@code target} (duplicate() lands on the source's manager first). */
    private static NDArray copy(NDArray source, String name, NDManager target) {
        NDArray c = source.duplicate();
        c.attach(target);
        c.setName(name);
        return c;
    }
}
