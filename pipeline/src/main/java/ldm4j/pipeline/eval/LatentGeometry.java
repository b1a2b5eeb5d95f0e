package ldm4j.pipeline.eval;

import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.stat.descriptive.moment.Kurtosis;
import org.apache.commons.math3.stat.descriptive.moment.Mean;
import org.apache.commons.math3.stat.descriptive.moment.StandardDeviation;

/**
 * How far a set of latents is from the standard normal that a prior sampler draws from: the
 * seed's "bumpy latent". A VAE prior sample is decoded from N(0, I); it lands where the encoder
 * put images only when the aggregate posterior q(z) is close to N(0, I). A low-β compressor's
 * latents are not: their elements are heavy-tailed and their mass sits on a thin subset of the
 * ball, which the diffusion model then has to learn.
 *
 * <p>Two views, both on the latents as given (pass them scaled or not, and say which):
 * <ul>
 *   <li>the histogram of all elements against N(0, 1), with KL(histogram ‖ N(0, 1)) over the same
 *       bins and the excess kurtosis (0 for a Gaussian, 3 for a Laplace);</li>
 *   <li>a 2-D PCA projection of the latent vectors beside as many N(0, I) draws projected on the
 *       same two axes.</li>
 * </ul>
 *
 * @param mean mean of all elements
 * @param std standard deviation of all elements
 * @param excessKurtosis sample excess kurtosis of all elements
 * @param klToNormal KL(p ‖ q) in nats between the elements' histogram p and N(0, 1)'s mass q on
 *     the same bins (values beyond the range counted in the end bins, on both sides)
 * @param binEdges {@value #BINS} + 1 bin edges spanning ±{@value #RANGE}
 * @param density the histogram as a density (integrates to 1 over the range)
 * @param latents up to {@value #MAX_POINTS} latent vectors projected on the first two principal axes
 * @param prior as many N(0, I) draws projected on the same axes
 * @param explained the share of the latents' variance along each of the two axes
 */
public record LatentGeometry(double mean, double std, double excessKurtosis, double klToNormal, double[] binEdges,
        double[] density, double[][] latents, double[][] prior, double[] explained) {
    /** Histogram bins. */
    public static final int BINS = 80;
    /** The histogram spans [−RANGE, RANGE]. */
    public static final double RANGE = 5;
    /** Most vectors in the PCA (its covariance costs N·D²). */
    public static final int MAX_POINTS = 2000;

    /**
     * @param values N latent vectors of {@code dim} elements each, row-major
     * @param seed seeds the prior draws
     */
    public static LatentGeometry of(float[] values, int dim, long seed) {
        if (dim < 2 || values.length < 2L * dim || values.length % dim != 0) {
            throw new IllegalArgumentException("need at least 2 latent vectors of dim >= 2; got " + values.length
                    + " values for dim " + dim);
        }
        double[] all = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            all[i] = values[i];
        }
        double[] edges = new double[BINS + 1];
        for (int i = 0; i <= BINS; i++) {
            edges[i] = -RANGE + 2 * RANGE * i / BINS;
        }
        double[] counts = new double[BINS];
        for (double v : all) {
            int bin = (int) Math.floor((v + RANGE) / (2 * RANGE) * BINS);
            counts[Math.max(0, Math.min(BINS - 1, bin))]++;
        }
        NormalDistribution normal = new NormalDistribution(null, 0, 1);
        double kl = 0;
        double[] density = new double[BINS];
        double width = 2 * RANGE / BINS;
        for (int i = 0; i < BINS; i++) {
            double p = counts[i] / all.length;
            double lo = i == 0 ? 0 : normal.cumulativeProbability(edges[i]);
            double hi = i == BINS - 1 ? 1 : normal.cumulativeProbability(edges[i + 1]);
            double q = hi - lo;
            if (p > 0) {
                kl += p * Math.log(p / q);
            }
            density[i] = p / width;
        }

        int n = Math.min(values.length / dim, MAX_POINTS);
        double[][] rows = new double[n][dim];
        for (int r = 0; r < n; r++) {
            System.arraycopy(all, r * dim, rows[r], 0, dim);
        }
        Projection axes = Projection.principal(rows);
        SplittableRandom random = new SplittableRandom(seed);
        double[][] draws = new double[n][dim];
        for (double[] d : draws) {
            for (int j = 0; j < dim; j++) {
                d[j] = random.nextGaussian();
            }
        }
        return new LatentGeometry(new Mean().evaluate(all), new StandardDeviation().evaluate(all),
                new Kurtosis().evaluate(all), kl, edges, density, axes.apply(rows), axes.apply(draws),
                axes.explained());
    }

    /** The first two principal axes of a set of vectors: its centre and unit directions. */
    record Projection(double[] centre, double[] first, double[] second, double[] explained) {
        static Projection principal(double[][] rows) {
            int n = rows.length;
            int d = rows[0].length;
            double[] centre = new double[d];
            for (double[] r : rows) {
                for (int j = 0; j < d; j++) {
                    centre[j] += r[j] / n;
                }
            }
            double[][] cov = new double[d][d];
            for (double[] r : rows) {
                for (int i = 0; i < d; i++) {
                    double ci = r[i] - centre[i];
                    for (int j = i; j < d; j++) {
                        cov[i][j] += ci * (r[j] - centre[j]) / (n - 1);
                    }
                }
            }
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < i; j++) {
                    cov[i][j] = cov[j][i];
                }
            }
            RealMatrix c = new Array2DRowRealMatrix(cov, false);
            SymmetricEigen eig = SymmetricEigen.of(c);
            double[] lambda = eig.values();
            int a = 0;
            int b = -1;
            for (int k = 1; k < d; k++) {
                if (lambda[k] > lambda[a]) {
                    a = k;
                }
            }
            for (int k = 0; k < d; k++) {
                if (k != a && (b < 0 || lambda[k] > lambda[b])) {
                    b = k;
                }
            }
            double total = c.getTrace();
            double[] explained = {total > 0 ? lambda[a] / total : 0, total > 0 ? lambda[b] / total : 0};
            return new Projection(centre, eig.vectors().getColumn(a), eig.vectors().getColumn(b), explained);
        }

        /** Each row's coordinates along the two axes, after centring on the latents' mean. */
        double[][] apply(double[][] rows) {
            double[][] out = new double[rows.length][2];
            for (int r = 0; r < rows.length; r++) {
                double x = 0;
                double y = 0;
                for (int j = 0; j < centre.length; j++) {
                    double v = rows[r][j] - centre[j];
                    x += v * first[j];
                    y += v * second[j];
                }
                out[r][0] = x;
                out[r][1] = y;
            }
            return out;
        }
    }
}
