package ldm4j.pipeline.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.stat.descriptive.moment.StandardDeviation;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.junit.jupiter.api.Test;

class FdBootstrapTest {
    private static final int D = 4;
    private static final double[][] SIGMA = GaussianSamples.randomCovariance(D, 0.2, 21);
    private static final GaussianStats REFERENCE = GaussianStats.of(GaussianSamples.draw(new double[D], SIGMA, 20_000, 22));

    @Test
    void theSharedRootGivesTheSameFdAsTheDirectFormula() {
        double[][] shifted = GaussianSamples.draw(new double[] {0.3, 0, -0.2, 0.1}, GaussianSamples.randomCovariance(D, 0.1, 5),
                300, 6);
        GaussianStats samples = GaussianStats.of(shifted);
        double direct = FrechetDistance.between(samples, REFERENCE);
        double viaRoot = FrechetDistance.withReferenceRoot(samples, REFERENCE,
                FrechetDistance.sqrtPsd(REFERENCE.covarianceMatrix()));
        assertEquals(direct, viaRoot, 1e-10 * direct);
    }

    /**
     * The interval's width must match how much FD really moves between independent sample sets of
     * the same model: 300 fresh sets give the true spread, one set's bootstrap estimates it. A
     * resampling without replacement (width 0) or of the wrong size fails this.
     */
    @Test
    void theIntervalWidthMatchesTheSpreadOfFdOverIndependentSampleSets() {
        double[] mu = {0.2, -0.1, 0, 0.1};
        int n = 200;
        double[] fds = new double[300];
        for (int s = 0; s < fds.length; s++) {
            fds[s] = FrechetDistance.between(GaussianStats.of(GaussianSamples.draw(mu, SIGMA, n, 100 + s)), REFERENCE);
        }
        double trueSpread = 2 * 1.96 * new StandardDeviation().evaluate(fds);
        FdBootstrap interval = FdBootstrap.of(GaussianSamples.draw(mu, SIGMA, n, 7), REFERENCE, 0.95, 1000, 1);
        double width = interval.high() - interval.low();
        assertTrue(width > trueSpread / 1.5 && width < trueSpread * 1.5,
                "bootstrap width " + width + " vs spread over independent sets " + trueSpread);
    }

    /**
     * At small N, FD's upward bias is large next to its spread, and a resample's larger still.
     * Averaged over sets, the interval's centre must land where FD over fresh sets of that size is
     * centred: ends left at the raw resample quantiles sit about a bias (here 1.5, about a whole
     * interval width) higher. With 16 features and only 60 samples the interval comes out up to
     * 1.5x wider than the fresh spread (resamples repeat images); it must not be narrower.
     */
    @Test
    void theIntervalIsCentredWhereFreshSetsOfTheSameSizeScore() {
        int d = 16;
        double[][] sigma = GaussianSamples.randomCovariance(d, 0.2, 31);
        GaussianStats reference = GaussianStats.of(GaussianSamples.draw(new double[d], sigma, 20_000, 32));
        double[] mu = new double[d];
        mu[0] = 1.0;
        int n = 60;
        double[] fresh = new double[400];
        for (int s = 0; s < fresh.length; s++) {
            fresh[s] = FrechetDistance.between(GaussianStats.of(GaussianSamples.draw(mu, sigma, n, 500 + s)), reference);
        }
        Percentile quantile = new Percentile().withEstimationType(Percentile.EstimationType.R_7);
        quantile.setData(fresh);
        double freshLow = quantile.evaluate(2.5);
        double freshHigh = quantile.evaluate(97.5);
        int sets = 40;
        double low = 0;
        double high = 0;
        for (int s = 0; s < sets; s++) {
            FdBootstrap interval = FdBootstrap.of(GaussianSamples.draw(mu, sigma, n, 2000 + s), reference, 0.95, 200, s);
            low += interval.low() / sets;
            high += interval.high() / sets;
        }
        double freshWidth = freshHigh - freshLow;
        String seen = String.format("fresh sets %.3f–%.3f, mean interval %.3f–%.3f", freshLow, freshHigh, low, high);
        assertEquals((freshLow + freshHigh) / 2, (low + high) / 2, 0.15 * freshWidth, seen);
        assertTrue(high - low >= freshWidth && high - low < 1.6 * freshWidth, seen);
    }

    @Test
    void oneSampleSetAlwaysGetsTheSameInterval() {
        double[][] x = GaussianSamples.draw(new double[D], SIGMA, 100, 3);
        assertEquals(FdBootstrap.of95(x, REFERENCE), FdBootstrap.of95(x, REFERENCE));
        FdBootstrap narrow = FdBootstrap.of(x, REFERENCE, 0.5, 400, 9);
        FdBootstrap wide = FdBootstrap.of(x, REFERENCE, 0.99, 400, 9);
        assertTrue(wide.low() <= narrow.low() && narrow.high() <= wide.high(), narrow + " inside " + wide);
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FdBootstrap(2, 1, 0.95, 100));
        assertThrows(IllegalArgumentException.class, () -> new FdBootstrap(1, 2, 1.0, 100));
        assertThrows(IllegalArgumentException.class,
                () -> FdBootstrap.of(new double[][] {{1, 2, 3, 4}}, REFERENCE, 0.95, 100, 0));
    }
}
