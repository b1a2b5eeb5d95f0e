package ldm4j.core.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressTest {
    private static final long SEC = 1_000_000_000L;

    /** A clock the test moves by hand. */
    static final class FakeClock {
        long now = 1_000 * SEC;

        long get() {
            return now;
        }
    }

    @Test
    void rateAndEtaFollowFromStepsAndElapsedTime() {
        ProgressMeter m = new ProgressMeter("t", 100, 0, 0, 30 * SEC);
        assertEquals(0, m.rate(0));
        assertTrue(m.etaSeconds(0) < 0, "no ETA before the first step");
        m.stepTo(50);
        assertEquals(5.0, m.rate(10 * SEC), 1e-12);
        assertEquals(10.0, m.etaSeconds(10 * SEC), 1e-9);
    }

    @Test
    void resumedRunCountsItsRateFromTheResumeStep() {
        ProgressMeter m = new ProgressMeter("t", 1000, 900, 0, 30 * SEC);
        m.stepTo(920);
        assertEquals(2.0, m.rate(10 * SEC), 1e-12);
        assertEquals(40.0, m.etaSeconds(10 * SEC), 1e-9);
    }

    @Test
    void durationsAndRatesReadLikeABar() {
        assertEquals("00:00", ProgressMeter.formatDuration(0));
        assertEquals("00:59", ProgressMeter.formatDuration(59));
        assertEquals("43:08", ProgressMeter.formatDuration(43 * 60 + 8));
        assertEquals("1:02:03", ProgressMeter.formatDuration(3723));
        assertEquals("3.42 it/s", ProgressMeter.formatRate(3.4199));
        assertEquals("4.00 s/it", ProgressMeter.formatRate(0.25));
        assertEquals("? it/s", ProgressMeter.formatRate(0));
        Map<String, Double> stats = new LinkedHashMap<>();
        stats.put("loss", 0.0312);
        stats.put("lr", 1e-4);
        assertEquals("loss=0.03120 lr=0.0001000", ProgressMeter.formatStats(stats));
    }

    @Test
    void lineShowsStepTotalPercentRateEtaAndStats() {
        ProgressMeter m = new ProgressMeter("train", 10000, 0, 0, 30 * SEC);
        m.stepTo(1200);
        assertEquals("train 1200/10000 (12%) 3.00 it/s ETA 48:53 loss=0.03120",
                m.line(400 * SEC, Map.of("loss", 0.0312)));
        ProgressMeter open = new ProgressMeter("encode", 0, 0, 0, 30 * SEC);
        open.stepTo(10);
        assertEquals("encode 10 2.00 it/s", open.line(5 * SEC, Map.of()));
    }

    @Test
    void fastLoopLogsOncePerTenth() {
        FakeClock clock = new FakeClock();
        List<String> lines = new ArrayList<>();
        try (Progress p = Progress.logging("fast", 100, 0, clock::get, Duration.ofSeconds(30), lines::add)) {
            for (int i = 1; i <= 100; i++) {
                clock.now += SEC / 100;
                p.update(i, Map.of("loss", 1.0 / i));
            }
        }
        assertEquals(11, lines.size(), lines.toString()); // 10%, 20%, ..., 100%, then the summary
        assertEquals("fast 10/100 (10%) 100.00 it/s ETA 00:01 loss=0.1000", lines.get(0));
        assertEquals("fast done: 100 steps in 00:01 (100.00 it/s) loss=0.01000", lines.get(10));
    }

    @Test
    void jumpsAcrossSeveralTenthsLogOnce() {
        FakeClock clock = new FakeClock();
        List<String> lines = new ArrayList<>();
        Progress p = Progress.logging("j", 100, 0, clock::get, Duration.ofSeconds(30), lines::add);
        p.stepTo(5);
        assertTrue(lines.isEmpty());
        p.stepTo(35);
        assertEquals(1, lines.size());
        p.stepBy(4);
        assertEquals(1, lines.size(), "39% is still the fourth tenth");
    }

    @Test
    void slowLoopLogsAHeartbeatEveryInterval() {
        FakeClock clock = new FakeClock();
        List<String> lines = new ArrayList<>();
        Progress p = Progress.logging("slow", 1_000_000, 0, clock::get, Duration.ofSeconds(30), lines::add);
        for (int i = 0; i < 95; i++) {
            clock.now += SEC;
            p.step();
        }
        assertEquals(3, lines.size(), "at 30, 60 and 90 s");
        assertTrue(lines.get(0).startsWith("slow 30/1000000 (0%) 1.00 it/s ETA "), lines.get(0));
        p.setExtra("epoch 2");
        clock.now += 30 * SEC;
        p.step();
        assertTrue(lines.get(3).endsWith(" epoch 2"), lines.get(3));
    }

    @Test
    void closingEarlySaysWhereItStoppedAndOnlyOnce() {
        FakeClock clock = new FakeClock();
        List<String> lines = new ArrayList<>();
        Progress p = Progress.logging("x", 10, 0, clock::get, Duration.ofSeconds(30), lines::add);
        clock.now += 2 * SEC;
        p.stepTo(4);
        lines.clear();
        p.close();
        p.close();
        assertEquals(List.of("x stopped at 4/10 after 00:02 (2.00 it/s)"), lines);
        assertFalse(new ProgressMeter("y", 10, 0, 0, SEC).lineDue(0), "nothing due at the start");
    }
}
