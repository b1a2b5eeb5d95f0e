package ldm4j.core.bench;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the C heap's free pages back to the kernel with glibc's {@code malloc_trim(0)}.
 *
 * <p>libtorch allocates tensors with {@code malloc}. The launcher tells glibc to keep what a step
 * frees ({@code GLIBC_TUNABLES}: a high trim threshold, one arena), so training steps do not fault
 * the same pages back in every time; the cost is that the heap stays at the size of the largest
 * working set it ever served, and a one-off pass with larger batches (an evaluation, the latent
 * scale factor, encoding a dataset) raises the process's resident size for the rest of the run.
 * {@code malloc_trim(0)} releases every whole free page inside the heap, not only at its top
 * (glibc ≥ 2.8), in every arena; the next allocations fault in what they use again.
 *
 * <p>Call it between stages and after such one-off passes, not inside a training step. Where there
 * is no glibc (macOS, musl), {@link #trim()} does nothing and says so once at debug level.
 */
public final class NativeHeap {
    private static final Logger LOG = LoggerFactory.getLogger(NativeHeap.class);
    private static final Function MALLOC_TRIM = lookUp();

    private NativeHeap() {}

    /** True where {@code malloc_trim} was found, so {@link #trim()} can release memory. */
    public static boolean available() {
        return MALLOC_TRIM != null;
    }

    /**
     * Releases the free pages of the C heap to the kernel.
     *
     * @return true when glibc released some memory; false when it had none to release, or where there
     *     is no {@code malloc_trim}
     */
    public static boolean trim() {
        if (MALLOC_TRIM == null) {
            return false;
        }
        long before = LOG.isDebugEnabled() ? ProcessMemory.rssBytes() : -1;
        boolean released = MALLOC_TRIM.invokeInt(new Object[] {new NativeLong(0)}) != 0;
        if (before >= 0) {
            LOG.debug("malloc_trim: RSS {} -> {}", ProcessMemory.mib(before), ProcessMemory.mib(ProcessMemory.rssBytes()));
        }
        return released;
    }

    private static Function lookUp() {
        if (!Platform.isLinux()) {
            LOG.debug("no glibc on {}: native memory is not trimmed", System.getProperty("os.name"));
            return null;
        }
        try {
            // The process's own symbols: glibc's when it is the C library; musl has no malloc_trim.
            return NativeLibrary.getProcess().getFunction("malloc_trim");
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            LOG.debug("no malloc_trim in this process ({}): native memory is not trimmed", e.getMessage());
            return null;
        }
    }
}
