package ldm4j.pipeline.eval;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The k-nearest-neighbour estimate of a feature manifold (Kynkäänniemi et al. 2019, "Improved
 * Precision and Recall Metric for Assessing Generative Models", eq. 1–2): the union of balls
 * around each point φ, with radius the distance from φ to its k-th nearest neighbour in the same
 * set (the point itself not counted).
 *
 * <p>A query φ' lies on the manifold when ‖φ' − φ‖ ≤ radius(φ) for at least one point φ; the
 * paper's f(φ', Φ) is 1 exactly then.
 *
 * <p><b>Cost</b>, for N points and M queries of dimension D, all in plain Java on double arrays:
 * <ul>
 *   <li>building: all N² pairwise distances once, O(N²·D) time, O(N·D + N) memory (no N × N
 *       matrix is ever stored, only the k best per point);</li>
 *   <li>{@link #coverage}: O(M·N·D) in the worst case; a query stops at the first ball that holds
 *       it, so queries on the manifold are cheap.</li>
 * </ul>
 * Distances are compared squared, computed as Σ(xᵢ − yᵢ)² (not ‖x‖² + ‖y‖² − 2x·y, which
 * cancels badly for nearby points far from the origin). Both loops are blocked: a block of
 * queries meets a block of points that stays in cache, and query blocks run in parallel on the
 * common fork-join pool. For N = M = 10,000 and D = 128 that is 10⁸ distances per pass.
 */
public final class FeatureManifold {
    /** Queries handled together; each block of points is then read once per this many queries. */
    private static final int QUERY_BLOCK = 32;
    /** Points per block: 256 × D = 128 doubles is 256 KiB, about one L2 cache. */
    private static final int POINT_BLOCK = 256;

    private final double[] points;
    private final double[] squaredRadii;
    private final int n;
    private final int d;
    private final int k;

    private FeatureManifold(double[] points, double[] squaredRadii, int n, int d, int k) {
        this.points = points;
        this.squaredRadii = squaredRadii;
        this.n = n;
        this.d = d;
        this.k = k;
    }

    /**
     * Builds the manifold of N × D {@code features} with neighbourhood size {@code k}.
     *
     * @param k the k-th nearest neighbour sets each radius; 1 ≤ k < N (the paper uses k = 3)
     */
    public static FeatureManifold of(double[][] features, int k) {
        int n = features.length;
        if (k < 1 || k >= n) {
            throw new IllegalArgumentException("k must be in [1, N - 1] = [1, " + (n - 1) + "], got " + k);
        }
        int d = features[0].length;
        double[] flat = flatten(features, d, "features");
        double[] squaredRadii = new double[n];
        int blocks = (n + QUERY_BLOCK - 1) / QUERY_BLOCK;
        IntStream.range(0, blocks).parallel().forEach(b -> kthNeighbourBlock(flat, n, d, k, b, squaredRadii));
        return new FeatureManifold(flat, squaredRadii, n, d, k);
    }

    /** Number of points N. */
    public int size() {
        return n;
    }

    /** Feature dimension D. */
    public int dimension() {
        return d;
    }

    /** Neighbourhood size k. */
    public int k() {
        return k;
    }

    /** Ball radii, one per point, in input order (a copy). */
    public double[] radii() {
        return Arrays.stream(squaredRadii).map(Math::sqrt).toArray();
    }

    /** Whether {@code query} lies in at least one ball (the paper's f(φ, Φ) = 1). */
    public boolean contains(double[] query) {
        return coverage(new double[][] {query}) == 1.0;
    }

    /**
     * The fraction of {@code queries} that lie on this manifold: precision when this is the real
     * manifold and the queries are generated, recall the other way round (paper eq. 3–4).
     */
    public double coverage(double[][] queries) {
        int m = queries.length;
        if (m == 0) {
            throw new IllegalArgumentException("need at least one query");
        }
        if (queries[0].length != d) {
            throw new IllegalArgumentException("queries have dimension " + queries[0].length + ", manifold has " + d);
        }
        double[] flat = flatten(queries, d, "queries");
        int blocks = (m + QUERY_BLOCK - 1) / QUERY_BLOCK;
        long inside = IntStream.range(0, blocks).parallel().mapToLong(b -> coveredInBlock(flat, m, b)).sum();
        return (double) inside / m;
    }

    /** Fills squaredRadii for query rows [b·QB, (b+1)·QB) with the k-th smallest squared distance. */
    private static void kthNeighbourBlock(double[] x, int n, int d, int k, int block, double[] squaredRadii) {
        int q0 = block * QUERY_BLOCK;
        int q1 = Math.min(n, q0 + QUERY_BLOCK);
        // best[q] holds the k smallest squared distances seen so far, ascending.
        double[][] best = new double[q1 - q0][k];
        for (double[] row : best) {
            Arrays.fill(row, Double.POSITIVE_INFINITY);
        }
        for (int p0 = 0; p0 < n; p0 += POINT_BLOCK) {
            int p1 = Math.min(n, p0 + POINT_BLOCK);
            for (int q = q0; q < q1; q++) {
                double[] top = best[q - q0];
                for (int p = p0; p < p1; p++) {
                    if (p == q) {
                        continue; // a point is not its own neighbour
                    }
                    double dist = squaredDistance(x, q * d, x, p * d, d);
                    if (dist < top[k - 1]) {
                        insertSorted(top, dist);
                    }
                }
            }
        }
        for (int q = q0; q < q1; q++) {
            squaredRadii[q] = best[q - q0][k - 1];
        }
    }

    /** How many query rows of block b lie in some ball. */
    private long coveredInBlock(double[] queries, int m, int block) {
        int q0 = block * QUERY_BLOCK;
        int q1 = Math.min(m, q0 + QUERY_BLOCK);
        boolean[] covered = new boolean[q1 - q0];
        int left = q1 - q0;
        for (int p0 = 0; p0 < n && left > 0; p0 += POINT_BLOCK) {
            int p1 = Math.min(n, p0 + POINT_BLOCK);
            for (int q = q0; q < q1; q++) {
                if (covered[q - q0]) {
                    continue;
                }
                for (int p = p0; p < p1; p++) {
                    if (squaredDistance(queries, q * d, points, p * d, d) <= squaredRadii[p]) {
                        covered[q - q0] = true;
                        left--;
                        break;
                    }
                }
            }
        }
        return (q1 - q0) - left;
    }

    /** Σ(aᵢ − bᵢ)² with four partial sums, so the adds do not wait on each other. */
    private static double squaredDistance(double[] a, int ia, double[] b, int ib, int d) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < d; i += 4) {
            double e0 = a[ia + i] - b[ib + i];
            double e1 = a[ia + i + 1] - b[ib + i + 1];
            double e2 = a[ia + i + 2] - b[ib + i + 2];
            double e3 = a[ia + i + 3] - b[ib + i + 3];
            s0 += e0 * e0;
            s1 += e1 * e1;
            s2 += e2 * e2;
            s3 += e3 * e3;
        }
        for (; i < d; i++) {
            double e = a[ia + i] - b[ib + i];
            s0 += e * e;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Inserts v into the ascending array top, dropping its largest entry. */
    private static void insertSorted(double[] top, double v) {
        int i = top.length - 1;
        while (i > 0 && top[i - 1] > v) {
            top[i] = top[i - 1];
            i--;
        }
        top[i] = v;
    }

    private static double[] flatten(double[][] rows, int d, String what) {
        double[] flat = new double[Math.multiplyExact(rows.length, d)];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != d) {
                throw new IllegalArgumentException(what + " row " + r + " has " + rows[r].length + " values, expected " + d);
            }
            System.arraycopy(rows[r], 0, flat, r * d, d);
        }
        return flat;
    }
}
