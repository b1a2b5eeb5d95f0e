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
    void activeUnitsThatHoldThenFallAreNotCalledMonotonicNorUnmoving() {
        String s = Findings.trend("the share of active latent units", "β",
                List.of(new Point(0, 1), new Point(1e-4, 1), new Point(1e-2, 1), new Point(1, 0.242)));
        assertEquals("The share of active latent units never rises as β grows, but it does not fall at every step:"
                + " 1 at 0, 1 at 1e-4, 1 at 0.01, 0.242 at 1.", s);
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
    void aGapLargerThanBothTheIntervalsAndTheSeedSpreadIsClaimed() {
        Findings.Spread seeds = new Findings.Spread(3, "ldm-l1", 3);
        String s = Findings.best("latent diffusion FD", "β", List.of(
                new Scored("β=0", new Interval(6, 5, 7)),
                new Scored("β=1e-2", new Interval(12, 11, 13)),
                new Scored("β=1", new Interval(40, 35, 45))), seeds);
        assertEquals("Latent diffusion FD is lowest at β=0: 6 (95% interval 5–7). It is measurably lower than at "
                + "β=1e-2, β=1 (intervals disjoint, and each gap larger than the seed spread of 3 at ldm-l1).", s);
        assertTrue(Findings.differ(new Interval(6, 5, 7), new Interval(12, 11, 13), seeds));
    }

    @Test
    void aGapWithinTheSeedSpreadIsNotClaimedThoughTheIntervalsAreDisjoint() {
        Findings.Spread seeds = new Findings.Spread(6, "ldm-l1", 3);
        String s = Findings.best("latent diffusion FD", "β", List.of(
                new Scored("β=0", new Interval(6, 5, 7)),
                new Scored("β=1e-2", new Interval(10, 9, 11)),
                new Scored("β=1e-4", new Interval(6.5, 5.5, 7.5)),
                new Scored("β=1", new Interval(40, 35, 45))), seeds);
        assertEquals("Latent diffusion FD is lowest at β=0: 6 (95% interval 5–7). It is measurably lower than at β=1 "
                + "(intervals disjoint, and each gap larger than the seed spread of 6 at ldm-l1). Its interval overlaps "
                + "β=1e-4's, so no difference is claimed there. The intervals of β=1e-2 are disjoint from it, but the gap "
                + "is within the seed spread of 6 at ldm-l1, so no difference is claimed there either.", s);
        assertFalse(Findings.differ(new Interval(6, 5, 7), new Interval(10, 9, 11), seeds), "gap 4 < spread 6");
        assertFalse(Findings.differ(new Interval(6, 5, 7), new Interval(6.5, 5.5, 7.5), null), "intervals overlap");
        assertTrue(Findings.differ(new Interval(6, 5, 7), new Interval(10, 9, 11), null), "no spread measured");
    }

    @Test
    void seedsThatDisagreeMoreThanTheirIntervalsAreSaidToDoSo() {
        String s = Findings.seedAgreement("latent diffusion FD", "ldm-l1", List.of(new Interval(14.4, 13, 16),
                new Interval(27, 25, 29), new Interval(20, 18.5, 21.5)));
        assertTrue(s.startsWith("At ldm-l1, 3 seeds give latent diffusion FD from 14.4 to 27 (a spread of 12.6; one "
                + "run's 95% interval is 3.33 wide on average). The seeds disagree more than the bootstrap intervals "
                + "suggest"), s);
        String agree = Findings.seedAgreement("latent diffusion FD", "ldm-l1", List.of(new Interval(5, 4, 6),
                new Interval(5.5, 4.5, 6.5)));
        assertTrue(agree.endsWith("Every two of their intervals overlap: the seeds agree within what the bootstrap "
                + "intervals allow."), agree);
        assertEquals("", Findings.seedAgreement("FD", "beta=0", List.of(new Interval(5, 4, 6))));
    }

    @Test
    void theBaselineIsBeatenOnlyWhereTheGapClearsBothNoises() {
        String s = Findings.against("latent diffusion", new Scored("the prior of the VAE baseline (vae)",
                new Interval(75, 73, 77)), List.of(new Scored("β=0", new Interval(6, 5, 7)),
                new Scored("β=1", new Interval(72, 70, 74)), new Scored("β=10", new Interval(90, 88, 92))),
                new Findings.Spread(5, "ldm-l1", 3));
        assertEquals("The prior of the VAE baseline (vae) scores FD 75 (95% interval 73–77). Latent diffusion is "
                + "closer to the data than it at β=0 (intervals disjoint, and the gap larger than the seed spread of 5 at "
                + "ldm-l1). Latent diffusion is further from the data than it at β=10 (intervals disjoint, and the gap "
                + "larger than the seed spread of 5 at ldm-l1). At β=1 no difference from it is claimed (the intervals "
                + "overlap, or the gap is within the seed spread).", s);
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
