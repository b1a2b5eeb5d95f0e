package ldm4j.core.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class NativeHeapTest {
    private static final long MIB = 1L << 20;
    /** 64 KiB tensors: below glibc's smallest mmap threshold (128 KiB), so they come from the heap. */
    private static final int FLOATS = 16 * 1024;
    private static final int COUNT = 2048; // 128 MiB in all

    @Test
    void glibcIsFoundOnLinux() {
        // ldm4j's CPU build is Linux-only, and every machine it tests on runs glibc.
        assertTrue(NativeHeap.available(), "malloc_trim not found");
    }

    @Test
    void trimReturnsTheFreedTensorsOfAClosedManagerToTheKernel() {
        try (NDManager root = NDManager.newBaseManager()) {
            NDManager kept = root.newSubManager();
            long before;
            long withTensors;
            try (NDManager freed = root.newSubManager()) {
                before = ProcessMemory.rssBytes();
                for (int i = 0; i < COUNT; i++) {
                    NDArray big = freed.ones(new Shape(FLOATS), DataType.FLOAT32); // written, so resident
                    big.getShape();
                    // A small tensor after each big one that stays alive: the freed ones end up in the middle
                    // of the heap, where free() alone does not return them (as after a pass with large batches).
                    kept.ones(new Shape(16), DataType.FLOAT32);
                }
                withTensors = ProcessMemory.rssBytes();
            }
            long total = (long) COUNT * FLOATS * Float.BYTES;
            assertTrue(withTensors - before > total / 2,
                    "the tensors did not become resident: RSS " + before / MIB + " -> " + withTensors / MIB + " MiB");
            long afterClose = ProcessMemory.rssBytes();
            NativeHeap.trim();
            long afterTrim = ProcessMemory.rssBytes();
            assertTrue(afterClose - afterTrim > total / 2, "RSS with the tensors " + withTensors / MIB
                    + " MiB, after closing their manager " + afterClose / MIB + " MiB, after the trim "
                    + afterTrim / MIB + " MiB");
            assertTrue(kept.getManagedArrays().size() == COUNT); // the pins lived through the trim
            kept.close();
        }
    }
}
