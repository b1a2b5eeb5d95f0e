package ldm4j.core.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchTableTest {

    @Test
    void ratioIsAboveOneWhenBetterThanTheFloorForRatesAndCosts() {
        assertEquals(1.25, BenchRow.rate("s", "w", "x", 125, "img/s", 100).vsFloor(), 1e-12);
        assertEquals(0.5, BenchRow.rate("s", "w", "x", 50, "img/s", 100).vsFloor(), 1e-12);
        // A time: 4 s against a 5 s floor is 1.25× as fast.
        assertEquals(1.25, BenchRow.cost("s", "w", "x", 4, "s", 5).vsFloor(), 1e-12);
        assertTrue(Double.isNaN(BenchRow.rate("s", "w", "x", 1, "img/s", Double.NaN).vsFloor()));
    }

    @Test
    void tableHasOneAlignedLinePerRowAndTheThreadCount() {
        String t = BenchTable.format(List.of(
                BenchRow.rate("autoencoder", "training step", "batch 32", 91.234, "img/s", 88),
                BenchRow.cost("diffusion", "sampling ddim-50", "batch 64", 7.5, "s", 9.5),
                BenchRow.rate("pipeline", "noise → image", "batch 64", 20.1, "img/s", Double.NaN)), 2, -1);
        String[] lines = t.split("\n");
        assertEquals(5, lines.length, t);
        assertTrue(lines[0].startsWith("stage"), t);
        assertTrue(lines[1].contains("91.2 img/s") && lines[1].contains("88.0 img/s") && lines[1].endsWith("1.04×"), t);
        assertTrue(lines[2].contains("7.50 s") && lines[2].endsWith("1.27×"), t);
        assertTrue(lines[3].endsWith("-"), t);
        // Columns line up: "measured" values end at the same column in every row.
        int end = lines[1].indexOf("img/s") + "img/s".length();
        assertEquals(end, lines[3].indexOf("img/s") + "img/s".length(), t);
        assertTrue(lines[4].startsWith("threads 2, peak RSS unknown"), t);
    }

    @Test
    void aSectionsPeakIsARowInMiBThatSaysWhetherItIsTheSectionsOwn() {
        BenchRow own = BenchRow.peak("diffusion", new MemoryPeak(1536L << 20, MemoryPeak.Scope.OWN));
        assertEquals("diffusion", own.stage());
        assertEquals(1536.0, own.value(), 0);
        assertEquals("MiB", own.unit());
        assertTrue(own.work().contains("this section") && !own.hasFloor(), own.toString());
        BenchRow process = BenchRow.peak("diffusion", new MemoryPeak(1L << 20, MemoryPeak.Scope.PROCESS));
        assertTrue(process.work().contains("process so far"), process.toString());
        String t = BenchTable.format(List.of(own), 1, -1);
        assertTrue(t.contains("peak RSS of this section") && t.contains("1536 MiB"), t);
    }
}
