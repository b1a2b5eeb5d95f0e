package ldm4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Runs an inference function over a batch a few rows at a time, so its intermediates take the
 * memory of a slice, not of the whole batch.
 *
 * <p>DJL frees an op's result only when its manager closes, so a forward pass over a batch keeps
 * every activation of every layer until the batch is done: a decoder pass over 100 Fashion-MNIST
 * latents held about 1 GiB. Here each slice runs in its own sub-manager, closed as soon as the
 * slice's outputs are moved out; the outputs are then concatenated along axis 0.
 *
 * <p>For a function that treats every row on its own (a network in inference mode: convolutions,
 * group norm and attention within a sample, no batch statistics), the result equals {@code f(x)}
 * bit for bit, with one care: libtorch picks a convolution's CPU kernel by batch size (oneDNN for
 * more than one image, and for 1×1 kernels on one thread only from 16 images on; its own kernel
 * otherwise), and two kernels round differently. So no slice is smaller than {@code rows}: a batch
 * is cut into {@code n / rows} slices of near-equal size, and with {@code rows} ≥ 16 every slice
 * gets the kernel the whole batch got. The autoencoder's tests compare the bytes.
 */
public final class Chunked {
    /**
     * Rows per forward pass for inference (at least; below twice as many): 16 images of 32×32 keep
     * the autoencoder's decoder under 200 MiB of intermediates and still give the convolutions
     * enough work per call.
     */
    public static final int ROWS = 16;

    private Chunked() {}

    /**
     * {@code f(x)}, computed on {@code n / rows} slices of {@code x}'s {@code n} rows (axis 0), each
     * of {@code rows} to {@code 2·rows - 1} rows; one call on all of {@code x} when {@code n < 2·rows}.
     *
     * @param x the batch; the result belongs to its manager
     * @param rows the fewest rows per call of {@code f}
     * @param f a row-wise function; it may allocate freely on its argument's manager, which is closed
     *     after the call except for the arrays it returns
     * @return {@code f}'s outputs for the whole batch, in {@code x}'s manager
     */
    public static NDList map(NDArray x, int rows, Function<NDArray, NDList> f) {
        return mapAll(new NDList(x), rows, in -> f.apply(in.singletonOrThrow()));
    }

    /**
     * {@link #map} for a function of several arrays with the same rows (e.g. inputs, steps and
     * labels): slice k of each goes into call k. The result belongs to the first array's manager.
     */
    public static NDList mapAll(NDList inputs, int rows, Function<NDList, NDList> f) {
        if (rows <= 0) {
            throw new IllegalArgumentException("rows must be > 0, got " + rows);
        }
        long n = inputs.head().getShape().get(0);
        for (NDArray a : inputs) {
            if (a.getShape().get(0) != n) {
                throw new IllegalArgumentException("inputs differ in rows: " + a.getShape() + " vs " + n);
            }
        }
        long count = n / rows;
        if (count <= 1) {
            return f.apply(inputs);
        }
        NDManager owner = inputs.head().getManager();
        List<NDList> slices = new ArrayList<>();
        try {
            for (long i = 0; i < count; i++) {
                try (NDManager scope = owner.newSubManager()) {
                    // Slice i: rows [n·i/count, n·(i+1)/count), so sizes differ by at most one.
                    NDIndex index = new NDIndex().addSliceDim(n * i / count, n * (i + 1) / count);
                    NDList slice = new NDList();
                    for (NDArray a : inputs) {
                        slice.add(a.get(index));
                    }
                    slice.attach(scope);
                    NDList out = f.apply(slice);
                    out.attach(owner);
                    slices.add(out);
                }
            }
            NDList result = new NDList();
            for (int k = 0; k < slices.get(0).size(); k++) {
                NDList column = new NDList();
                for (NDList s : slices) {
                    column.add(s.get(k));
                }
                result.add(NDArrays.concat(column, 0));
            }
            return result;
        } finally {
            slices.forEach(NDList::close);
        }
    }

    /** {@link #map} for a function with one output. */
    public static NDArray apply(NDArray x, int rows, Function<NDArray, NDArray> f) {
        return map(x, rows, slice -> new NDList(f.apply(slice))).singletonOrThrow();
    }
}
