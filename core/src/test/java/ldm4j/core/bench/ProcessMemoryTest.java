package ldm4j.core.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcessMemoryTest {
    @Test
    void rssGrowsWhenNativeMemoryIsTouchedAndPeakBoundsIt() {
        assumeTrue(Files.exists(Path.of("/proc/self/status")), "needs Linux /proc");
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
}
