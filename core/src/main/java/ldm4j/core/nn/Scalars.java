package ldm4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Arithmetic between an array and a Java number, safe under autograd and garbage collection.
 *
 * <p>DJL 0.36's {@code mul(Number)}, like its other {@code Number} overloads, wraps the number in a
 * tensor over a Java direct buffer ({@code torch::from_blob}, no copy) and closes it when the op
 * returns. Autograd has saved that tensor for backward ({@code MulBackward0} keeps {@code other});
 * once a GC frees the buffer, backward reads freed memory and the gradient is garbage, finite or
 * not (docs/djl-rules.md, rule 2).
 *
 * <p>Here the scalar is a 0-d tensor that libtorch allocates and owns ({@code torch::full}), of
 * {@code x}'s data type and device. Closing the Java handle right after the op only drops one
 * reference; autograd keeps its own until backward has run. The same helpers serve no-grad code
 * (samplers, optimizer), so one rule holds everywhere; ArchitectureTest enforces it.
 *
 * <p>Every result belongs to {@code x}'s manager, as DJL's own overloads do.
 */
public final class Scalars {
    private Scalars() {}

    /**
     * A 0-d tensor holding {@code value} in {@code like}'s data type, device and manager,
     * allocated by libtorch; the value is kept in double precision for float64 arrays.
     */
    public static NDArray of(NDArray like, double value) {
        NDManager manager = like.getManager();
        if (manager instanceof PtNDManager pt) {
            return JniUtils.full(pt, new Shape(), value, like.getDataType(), like.getDevice(), SparseFormat.DENSE);
        }
        return manager.full(new Shape(), (float) value, like.getDataType(), like.getDevice());
    }

    /** {@code x · value}. */
    public static NDArray mul(NDArray x, double value) {
        try (NDArray s = of(x, value)) {
            return x.mul(s);
        }
    }

    /** {@code x / value}. */
    public static NDArray div(NDArray x, double value) {
        try (NDArray s = of(x, value)) {
            return x.div(s);
        }
    }

    /** {@code x ^ exponent}, element-wise. */
    public static NDArray pow(NDArray x, double exponent) {
        try (NDArray s = of(x, exponent)) {
            return x.pow(s);
        }
    }

    /** {@code max(x, value)}, element-wise; the gradient is x's where x exceeds value. */
    public static NDArray maximum(NDArray x, double value) {
        try (NDArray s = of(x, value)) {
            return x.maximum(s);
        }
    }

    /** {@code min(x, value)}, element-wise. */
    public static NDArray minimum(NDArray x, double value) {
        try (NDArray s = of(x, value)) {
            return x.minimum(s);
        }
    }

    /** {@code x ← x · value} in place; returns {@code x}. */
    public static NDArray muli(NDArray x, double value) {
        try (NDArray s = of(x, value)) {
            return x.muli(s);
        }
    }

    /** {@code x ← x / value} in place; returns {@code x}. */
    public static NDArray divi(NDArray x, double value) {
        try (NDArray s = of(x, value)) {
            return x.divi(s);
        }
    }
}
