package ldm4j.pipeline.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import ldm4j.core.bench.BenchRow;
import ldm4j.core.bench.ProcessMemory;
import org.junit.jupiter.api.Test;

class AllBenchmarksTest {
    @Test
    void everySectionEndsWithItsOwnPeakWhichCountsWhatItTouched() throws Exception {
        long rssBefore = ProcessMemory.rssBytes();
        int bytes = 48 << 20;
        ByteBuffer[] kept = new ByteBuffer[1];
        List<BenchRow> rows = AllBenchmarks.section("pipeline", () -> {
            ByteBuffer b = ByteBuffer.allocateDirect(bytes);
            for (int i = 0; i < bytes; i += 4096) {
                b.put(i, (byte) 1); // resident only once touched
            }
            kept[0] = b;
            return List.of(BenchRow.rate("pipeline", "noise → image", "batch 64", 20, "img/s", Double.NaN));
        });
        assertEquals(2, rows.size());
        BenchRow peak = rows.get(1);
        assertEquals("pipeline", peak.stage());
        assertEquals("peak RSS of this section", peak.work());
        assertEquals("MiB", peak.unit());
        // One MiB of slack: the kernel's RSS counters lag by a batch of pages per CPU.
        assertTrue(peak.value() >= (rssBefore + bytes) / (1024.0 * 1024.0) - 1, peak.value() + " MiB");
        assertEquals(1, kept[0].get(4096));
    }
}
