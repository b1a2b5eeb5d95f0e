package ldm4j.pipeline.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import ldm4j.pipeline.report.Findings.Point;
import ldm4j.pipeline.report.Findings.Scored;
import org.junit.jupiter.api.Test;

class FindingsTest {
    @Test
    void aRateThatRisesWithBetaIsSaidToRise() {
        String s = Findings.trend("rate (bits per image)", "β",
                List.of(new Point(1e-2, 30), new Point(0, 10), new Point(1e-4, 20)));
        assertEquals("Rate (bits per image) rises monotonically as β grows, from 10 at β = 0 to 30 at β = 0.01.", s);
    }

    @Test
    void aFallingRateIsSaidToFall() {
        String s = Findings.trend("rate", "β", List.of(new Point(0, 3000), new Point(1e-6, 2900), new Point(1, 31)));
        assertTrue(s.startsWith("Rate falls monotonically as β grows, from 3000 at β = 0 to 31 at β = 1"), s);
    }

    @Test
    void aRateThatTurnsBackIsSaidNotToBeMonotonic() {
        String s = Findings.trend("rate", "β", List.of(new Point(0, 3000), new Point(1e-6, 3100), new Point(1, 31)));
        assertEquals("Rate does not move monotonically with β: 3000 at 0, 3100 at 1e-6, 31 at 1.", s);
        assertFalse(s.contains("falls monotonically"));
    }

    @Test
    void overlappingIntervalsClaimNoDifference() {
        String s = Findings.compare(new Scored("ldm4j", new Interval(5.29, 4.37, 6.33)),
                new Scored("PyTorch", new Interval(4.80, 3.86, 5.95)));
        assertTrue(s.contains("The intervals overlap, so these samples show no difference in FD"), s);
        assertFalse(s.contains("closer to the data"), s);
    }

    @Test
    void disjointIntervalsNameTheSetCloserToTheData() {
        String s = Findings.compare(new Scored("VAE prior", new Interval(134, 128, 141)),
                new Scored("latent diffusion", new Interval(5.29, 4.37, 6.33)));
        assertTrue(s.endsWith("The intervals do not overlap: latent diffusion is closer to the data, by a factor of "
                + "25.3 in FD."), s);
    }

    @Test
    void theBestPointBeatsOnlyThePointsWhoseIntervalsItClears() {
        String s = Findings.best("latent diffusion FD", "β", List.of(
                new Scored("β=0", new Interval(6, 5, 7)),
                new Scored("β=1e-6", new Interval(5, 4.2, 5.8)),
                new Scored("β=1", new Interval(40, 35, 45))));
        assertEquals("Latent diffusion FD is lowest at β=1e-6: 5 (95% interval 4.2–5.8). It is measurably lower than "
                + "at β=1 (intervals disjoint). Its interval overlaps β=0's, so no difference is claimed there.", s);
    }

    @Test
    void numbersKeepThreeSignificantDigits() {
        assertEquals("5.29", Findings.number(5.2931));
        assertEquals("26.0", Findings.number(25.99));
        assertEquals("3", Findings.number(3.0));
        assertEquals("0.0123", Findings.number(0.012345));
        assertEquals("3457", Findings.number(3456.92));
        assertEquals("1e-6", Findings.number(1e-6));
        assertEquals("2.5e-4", Findings.number(2.5e-4));
        assertEquals("1.23e5", Findings.number(123_456));
        assertEquals("0", Findings.number(0));
        assertEquals("n/a", Findings.number(Double.NaN));
    }
}
