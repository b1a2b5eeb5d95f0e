package ldm4j.core.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessMemoryTest {
    private static final long MIB = 1L << 20;
    /** Well above glibc's largest mmap threshold (32 MiB), so free() unmaps it and RSS falls at once. */
    private static final long CHUNK = 96 * MIB;
    /**
     * The kernel sums RSS from per-CPU counters that lag by up to a batch of pages per CPU, so a
     * reading may miss a few hundred KiB of what was just touched.
     */
    private static final long COUNTER_SLACK = MIB;

    @TempDir
    Path dir;

    @Test
    void rssGrowsWhenNativeMemoryIsTouchedAndPeakBoundsIt() {
        long before = ProcessMemory.rssBytes();
        java.nio.ByteBuffer big = java.nio.ByteBuffer.allocateDirect(64 << 20);
        for (int i = 0; i < big.capacity(); i += 4096) {
            big.put(i, (byte) 1); // touch every page so it becomes resident
        }
        long after = ProcessMemory.rssBytes();
        assertTrue(after - before > 48L << 20, "RSS grew by " + (after - before));
        assertTrue(ProcessMemory.peakRssBytes() >= after);
        assertTrue(big.get(4096) == 1);
    }

    @Test
    void aWindowSeesTheChunkAllocatedInsideItAndTheNextWindowNoLonger() throws Exception {
        // ldm4j's CPU build is Linux-only; every machine it runs its tests on lets a process reset its own peak.
        ProcessMemory.Window first = ProcessMemory.startWindow();
        assertTrue(first.ownPeak(), "/proc/self/clear_refs refused the reset (writable: "
                + Files.isWritable(Path.of("/proc/self/clear_refs")) + ")");
        long start = ProcessMemory.rssBytes();
        long address = allocateAndTouch(CHUNK);
        MemoryPeak withChunk;
        try {
            withChunk = first.peak().orElseThrow();
        } finally {
            free(address);
        }
        assertEquals(MemoryPeak.Scope.OWN, withChunk.scope());
        assertTrue(withChunk.bytes() >= start + CHUNK - COUNTER_SLACK,
                "peak " + withChunk.mib() + " MiB, RSS at the reset " + start / MIB + " MiB");

        // The chunk is gone; a new window starts from today's RSS, below the peak with the chunk.
        ProcessMemory.Window second = ProcessMemory.startWindow();
        MemoryPeak without = second.peak().orElseThrow();
        assertTrue(without.bytes() < withChunk.bytes() - CHUNK / 2,
                "peak after the reset " + without.mib() + " MiB, with the chunk " + withChunk.mib() + " MiB");
        // Neither the reset nor the free lost the process's peak.
        assertTrue(ProcessMemory.peakRssBytes() >= withChunk.bytes() - COUNTER_SLACK);
        // An outer window still counts what the inner reset forgot.
        assertTrue(first.peak().orElseThrow().bytes() >= withChunk.bytes() - COUNTER_SLACK);
    }

    @Test
    void withoutAWritableClearRefsAWindowReportsTheProcessPeakAndSaysSo() {
        ProcessMemory.Window w = ProcessMemory.startWindow(Path.of("/proc/self/status"), dir.resolve("no-clear-refs"));
        assertFalse(w.ownPeak());
        MemoryPeak p = w.peak().orElseThrow();
        assertEquals(MemoryPeak.Scope.PROCESS, p.scope());
        assertTrue(p.bytes() >= ProcessMemory.peakRssBytes() - COUNTER_SLACK, p.mib() + " MiB");
    }

    @Test
    void withoutProcAWindowKnowsNoPeakAndDoesNotThrow() {
        ProcessMemory.Window w = ProcessMemory.startWindow(dir.resolve("status"), dir.resolve("clear_refs"));
        assertFalse(w.ownPeak());
        assertEquals(Optional.empty(), w.peak());
    }

    @Test
    void theLargerOfTwoPeaksIsOwnOnlyWhenBothAre() {
        MemoryPeak own = new MemoryPeak(100, MemoryPeak.Scope.OWN);
        MemoryPeak process = new MemoryPeak(50, MemoryPeak.Scope.PROCESS);
        assertEquals(new MemoryPeak(200, MemoryPeak.Scope.OWN), own.max(new MemoryPeak(200, MemoryPeak.Scope.OWN)));
        assertEquals(new MemoryPeak(100, MemoryPeak.Scope.PROCESS), own.max(process));
    }

    /** malloc + memset through sun.misc.Unsafe: native memory that free() returns at once, unlike a direct buffer. */
    private static long allocateAndTouch(long bytes) throws Exception {
        Object unsafe = unsafe();
        long address = (long) unsafe.getClass().getMethod("allocateMemory", long.class).invoke(unsafe, bytes);
        unsafe.getClass().getMethod("setMemory", long.class, long.class, byte.class)
                .invoke(unsafe, address, bytes, (byte) 1);
        return address;
    }

    private static void free(long address) throws Exception {
        Object unsafe = unsafe();
        Method free = unsafe.getClass().getMethod("freeMemory", long.class);
        free.invoke(unsafe, address);
    }

    private static Object unsafe() throws Exception {
        Field f = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
        f.setAccessible(true);
        return f.get(null);
    }
}
