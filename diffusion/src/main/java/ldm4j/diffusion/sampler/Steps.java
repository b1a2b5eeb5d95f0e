package ldm4j.diffusion.sampler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;

/** Small helpers shared by the sampling loops. */
final class Steps {
    private Steps() {}

    /** The step index t repeated for each of n samples, int64 (n,). */
    static NDArray full(NDManager manager, long n, int t) {
        long[] values = new long[Math.toIntExact(n)];
        Arrays.fill(values, t);
        return manager.create(values);
    }
}
