package ldm4j.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LrScheduleTest {
    private static final double PEAK = 1e-3;
    private static final double MIN = 1e-5;

    @Test
    void cosineIsLinearDuringWarmupThenHalfCosineDownToMin() {
        LrSchedule s = LrSchedule.cosine(PEAK, MIN, 10, 110);
        assertEquals(PEAK / 10, s.lr(0), 1e-15, "first warm-up step");
        assertEquals(PEAK / 2, s.lr(4), 1e-15, "warm-up is linear");
        assertEquals(PEAK, s.lr(9), 1e-15, "last warm-up step reaches the peak");
        assertEquals(PEAK, s.lr(10), 1e-15, "cosine starts at the peak");
        assertEquals((PEAK + MIN) / 2, s.lr(60), 1e-15, "midpoint of the decay");
        assertEquals(PEAK - (PEAK - MIN) * (1 - Math.cos(Math.PI / 4)) / 2, s.lr(35), 1e-15, "quarter way");
        assertEquals(MIN, s.lr(110), 1e-15, "end of the decay");
        assertEquals(MIN, s.lr(1_000_000), 1e-15, "stays at min after the end");
    }

    @Test
    void cosineDecayNeverIncreases() {
        LrSchedule s = LrSchedule.cosine(PEAK, MIN, 5, 200);
        for (long t = 5; t < 250; t++) {
            assertTrue(s.lr(t + 1) <= s.lr(t), "lr rose from step " + t + " to " + (t + 1));
        }
    }

    @Test
    void constantHoldsPeakAfterWarmup() {
        LrSchedule s = LrSchedule.constant(PEAK, 4);
        assertEquals(PEAK / 4, s.lr(0), 1e-15);
        assertEquals(PEAK, s.lr(3), 1e-15);
        assertEquals(PEAK, s.lr(4), 1e-15);
        assertEquals(PEAK, s.lr(10_000_000), 1e-15);
    }

    @Test
    void withoutWarmupTheFirstStepUsesThePeak() {
        assertEquals(PEAK, LrSchedule.cosine(PEAK, 0, 0, 100).lr(0), 1e-15);
        assertEquals(0, LrSchedule.cosine(PEAK, 0, 0, 100).lr(100), 1e-15);
        assertEquals(PEAK, LrSchedule.constant(PEAK, 0).lr(0), 1e-15);
    }

    @Test
    void configRejectsBadValuesNamingTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LrSchedule.cosine(PEAK, MIN, 10, 10))
                .getMessage().contains("totalSteps"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LrSchedule.cosine(0, 0, 0, 10))
                .getMessage().contains("peakLr"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LrSchedule.cosine(PEAK, 2 * PEAK, 0, 10))
                .getMessage().contains("minLr"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LrSchedule.constant(PEAK, -1))
                .getMessage().contains("warmupSteps"));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.constant(PEAK, 0).lr(-1));
    }

    @Test
    void aCosineDecayNeedsAStepAfterTheWarmupAConstantRateNone() {
        assertTrue(LrSchedule.fits(LrSchedule.Decay.COSINE, 99, 100));
        assertTrue(!LrSchedule.fits(LrSchedule.Decay.COSINE, 100, 100));
        assertTrue(LrSchedule.fits(LrSchedule.Decay.CONSTANT, 500, 2));
        for (long steps = 1; steps <= 1000; steps++) {
            long w = LrSchedule.shortWarmup(steps);
            assertTrue(LrSchedule.fits(LrSchedule.Decay.COSINE, w, steps), "steps " + steps);
            LrSchedule s = LrSchedule.cosine(PEAK, MIN, w, steps);
            assertTrue(s.lr(steps - 1) > 0 && s.lr(steps - 1) <= PEAK, "steps " + steps);
        }
        assertEquals(0, LrSchedule.shortWarmup(9));
        assertEquals(8, LrSchedule.shortWarmup(80));
        assertEquals(LrSchedule.Decay.COSINE, LrSchedule.decayOf("Cosine"));
        assertEquals(LrSchedule.Decay.CONSTANT, LrSchedule.decayOf(null));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.decayOf("linear"));
    }
}
