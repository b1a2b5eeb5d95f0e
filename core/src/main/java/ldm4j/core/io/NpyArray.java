package ldm4j.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A dense, C-ordered array as a {@code .npy} file holds it: a numpy dtype string, a shape, and the
 * raw little-endian bytes.
 *
 * @param dtype one of {@link #UINT8}, {@link #FLOAT32}, {@link #INT32}, {@link #INT64}
 * @param shape the dimensions; empty for a scalar
 * @param data the elements in C order, little-endian, exactly {@code size() * itemSize()} bytes
 */
public record NpyArray(String dtype, long[] shape, byte[] data) {
    /** numpy's uint8. */
    public static final String UINT8 = "|u1";
    /** numpy's little-endian float32. */
    public static final String FLOAT32 = "<f4";
    /** numpy's little-endian int32. */
    public static final String INT32 = "<i4";
    /** numpy's little-endian int64. */
    public static final String INT64 = "<i8";

    public NpyArray {
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
        }
        long expected = Math.multiplyExact(count(shape), itemSize(dtype));
        if (data.length != expected) {
            throw new IllegalArgumentException("data has " + data.length + " bytes, shape " + Arrays.toString(shape)
                    + " of " + dtype + " needs " + expected);
        }
    }

    /** Wraps uint8 pixels (not copied). */
    public static NpyArray ofUint8(byte[] data, long... shape) {
        return new NpyArray(UINT8, shape, data);
    }

    /** Copies float32 values. */
    public static NpyArray ofFloat32(float[] values, long... shape) {
        ByteBuffer b = le(values.length * 4L);
        b.asFloatBuffer().put(values);
        return new NpyArray(FLOAT32, shape, b.array());
    }

    /** Copies int32 values. */
    public static NpyArray ofInt32(int[] values, long... shape) {
        ByteBuffer b = le(values.length * 4L);
        b.asIntBuffer().put(values);
        return new NpyArray(INT32, shape, b.array());
    }

    /** Copies int64 values. */
    public static NpyArray ofInt64(long[] values, long... shape) {
        ByteBuffer b = le(values.length * 8L);
        b.asLongBuffer().put(values);
        return new NpyArray(INT64, shape, b.array());
    }

    /** Copies an NDArray of type UINT8, FLOAT32, INT32 or INT64. */
    public static NpyArray of(NDArray a) {
        String dtype = switch (a.getDataType()) {
            case UINT8 -> UINT8;
            case FLOAT32 -> FLOAT32;
            case INT32 -> INT32;
            case INT64 -> INT64;
            default -> throw new IllegalArgumentException("cannot store " + a.getDataType() + " as .npy; convert"
                    + " to uint8, float32, int32 or int64 first");
        };
        ByteBuffer b = a.toByteBuffer();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        if (!b.order().equals(ByteOrder.LITTLE_ENDIAN) && itemSize(dtype) > 1) {
            throw new UnsupportedOperationException(".npy IO assumes a little-endian host");
        }
        return new NpyArray(dtype, a.getShape().getShape(), bytes);
    }

    /** Number of elements (1 for a scalar). */
    public long size() {
        return count(shape);
    }

    /** Bytes per element. */
    public int itemSize() {
        return itemSize(dtype);
    }

    /** The shape (a copy). */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The values as floats; {@code dtype} must be {@link #FLOAT32}. */
    public float[] toFloatArray() {
        require(FLOAT32);
        float[] out = new float[data.length / 4];
        view().asFloatBuffer().get(out);
        return out;
    }

    /** The values as ints; {@link #INT32} as is, {@link #UINT8} widened to 0..255. */
    public int[] toIntArray() {
        if (dtype.equals(UINT8)) {
            int[] out = new int[data.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = data[i] & 0xFF;
            }
            return out;
        }
        require(INT32);
        int[] out = new int[data.length / 4];
        view().asIntBuffer().get(out);
        return out;
    }

    /** The values as longs; {@code dtype} must be {@link #INT64}. */
    public long[] toLongArray() {
        require(INT64);
        long[] out = new long[data.length / 8];
        view().asLongBuffer().get(out);
        return out;
    }

    /** A new NDArray on {@code manager} with the same dtype, shape and values. */
    public NDArray toNDArray(NDManager manager) {
        DataType type = switch (dtype) {
            case UINT8 -> DataType.UINT8;
            case FLOAT32 -> DataType.FLOAT32;
            case INT32 -> DataType.INT32;
            case INT64 -> DataType.INT64;
            default -> throw new IllegalStateException("unreachable: " + dtype);
        };
        if (data.length == 0) {
            return manager.zeros(new Shape(shape), type);
        }
        ByteBuffer b = ByteBuffer.allocateDirect(data.length).order(ByteOrder.nativeOrder());
        b.put(data).flip();
        return manager.create(b, new Shape(shape), type);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyArray n && dtype.equals(n.dtype) && Arrays.equals(shape, n.shape)
                && Arrays.equals(data, n.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dtype, Arrays.hashCode(shape), Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "NpyArray[" + dtype + " " + Arrays.toString(shape) + "]";
    }

    /** Bytes per element of a supported dtype. */
    static int itemSize(String dtype) {
        return switch (dtype) {
            case UINT8 -> 1;
            case FLOAT32, INT32 -> 4;
            case INT64 -> 8;
            default -> throw new IllegalArgumentException("unsupported dtype '" + dtype
                    + "' (supported: |u1, <f4, <i4, <i8)");
        };
    }

    private static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    private void require(String wanted) {
        if (!dtype.equals(wanted)) {
            throw new IllegalStateException("array has dtype " + dtype + ", not " + wanted);
        }
    }

    private ByteBuffer view() {
        return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteBuffer le(long bytes) {
        return ByteBuffer.allocate(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
    }
}
