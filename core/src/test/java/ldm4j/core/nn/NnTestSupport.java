package ldm4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;

/** Helpers for block tests: fixed parameter values and one-line forward passes. */
public final class NnTestSupport {
    private NnTestSupport() {}

    /** An initializer that fills a parameter with {@code values} (row-major, its shape). */
    public static Initializer values(float... values) {
        return (manager, shape, dataType) -> {
            if (shape.size() != values.length) {
                throw new IllegalArgumentException(
                        "parameter of shape " + shape + " needs " + shape.size() + " values, got " + values.length);
            }
            return manager.create(values, shape);
        };
    }

    /** Sets the initializer of the parameter with this key; call before {@code initialize}. */
    public static void fix(Block block, String key, Initializer initializer) {
        Parameter p = block.getParameters().get(key);
        if (p == null) {
            throw new IllegalArgumentException("no parameter " + key + " in " + block.getParameters().keys());
        }
        p.setInitializer(initializer);
    }

    /** Initialises {@code block} for float32 inputs of the given shapes. */
    public static void init(Block block, NDManager manager, Shape... shapes) {
        block.initialize(manager, DataType.FLOAT32, shapes);
    }

    /** Inference-mode forward pass returning the first output. */
    public static NDArray run(Block block, NDManager manager, NDArray... inputs) {
        return block.forward(new ParameterStore(manager, false), new NDList(inputs), false).get(0);
    }

    /** Asserts element-wise closeness with a message naming the first bad index. */
    public static void assertClose(double[] expected, NDArray actual, double tol) {
        float[] a = actual.toType(DataType.FLOAT32, false).toFloatArray();
        if (a.length != expected.length) {
            throw new AssertionError("expected " + expected.length + " values, got " + a.length + " " + actual.getShape());
        }
        for (int i = 0; i < a.length; i++) {
            if (!(Math.abs(a[i] - expected[i]) <= tol)) {
                throw new AssertionError("index " + i + ": expected " + expected[i] + ", got " + a[i]);
            }
        }
    }

    /** SiLU in double precision, for hand-computed references. */
    public static double silu(double x) {
        return x / (1 + Math.exp(-x));
    }
}
