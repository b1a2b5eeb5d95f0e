package ldm4j.core.nn;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * What a busy JVM does between a forward pass and its backward: a full GC, then fresh direct
 * buffers full of garbage bytes in the native memory the GC just freed.
 *
 * <p>DJL's {@code Number} overloads hand autograd a tensor over a Java direct buffer (docs/djl-rules.md,
 * rule 2). After {@link #apply} that buffer is gone and its bytes read as 0x7f7f7f7f (3.4e38), so a
 * gradient that still reads it is wrong by a wide margin instead of by luck.
 */
public final class GcPressure {
    private static final int BUFFERS = 1024;

    /** The last churn, held until the next one so that its bytes stay in place through backward. */
    private static List<ByteBuffer> held = List.of();

    private GcPressure() {}

    /** Runs a full GC, lets the cleaners free unreachable direct buffers, and refills that memory. */
    public static void apply() {
        held = List.of();
        System.gc();
        try {
            Thread.sleep(2); // the Reference Handler thread runs the buffers' cleaners after the GC
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<ByteBuffer> junk = new ArrayList<>(BUFFERS);
        for (int i = 0; i < BUFFERS; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(4 + (i % 16) * 4); // the sizes of 0-d scalars and small vectors
            while (b.hasRemaining()) {
                b.put((byte) 0x7f);
            }
            junk.add(b);
        }
        held = junk;
    }
}
