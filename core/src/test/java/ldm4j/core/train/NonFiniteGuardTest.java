package ldm4j.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NonFiniteGuardTest {
    @Test
    void finiteStepsAreAllowedAndResetTheConsecutiveCount() {
        NonFiniteGuard guard = new NonFiniteGuard(5);
        assertTrue(guard.allowStep(1.5f, 0.3f));
        assertFalse(guard.allowStep(Float.NaN, 0.3f));
        assertFalse(guard.allowStep(Float.POSITIVE_INFINITY, 0.3f));
        assertEquals(2, guard.consecutiveSkips());
        assertTrue(guard.allowStep(2f, 0.3f));
        assertEquals(0, guard.consecutiveSkips());
        assertEquals(2, guard.skippedSteps());
    }

    @Test
    void nonFiniteLossAloneSkipsTheStep() {
        NonFiniteGuard guard = new NonFiniteGuard();
        assertFalse(guard.allowStep(1f, Float.NaN));
        assertFalse(guard.allowStep(1f, Float.NEGATIVE_INFINITY));
        assertEquals(2, guard.skippedSteps());
    }

    @Test
    void abortsWhenConsecutiveSkipsReachTheLimit() {
        NonFiniteGuard guard = new NonFiniteGuard(3);
        assertFalse(guard.allowStep(Float.NaN, 0));
        assertFalse(guard.allowStep(Float.NaN, 0));
        NonFiniteGradientsException e =
                assertThrows(NonFiniteGradientsException.class, () -> guard.allowStep(Float.NaN, 0));
        assertTrue(e.getMessage().startsWith("3 steps in a row had non-finite gradients"), e.getMessage());
        assertTrue(e.getMessage().contains("lower the learning rate"), e.getMessage());
        assertEquals(3, guard.skippedSteps());
    }

    @Test
    void defaultLimitIsFifty() {
        NonFiniteGuard guard = new NonFiniteGuard();
        for (int i = 0; i < 49; i++) {
            assertFalse(guard.allowStep(Float.NaN, 0));
        }
        assertThrows(NonFiniteGradientsException.class, () -> guard.allowStep(Float.NaN, 0));
    }

    @Test
    void rejectsLimitBelowOneNamingTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new NonFiniteGuard(0))
                .getMessage().contains("maxConsecutive"));
    }
}
