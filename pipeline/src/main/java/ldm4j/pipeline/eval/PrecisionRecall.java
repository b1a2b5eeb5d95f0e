package ldm4j.pipeline.eval;

/**
 * Improved precision and recall of a generative model (Kynkäänniemi et al. 2019, "Improved
 * Precision and Recall Metric for Assessing Generative Models", Sec. 2).
 *
 * <ul>
 *   <li>precision: the fraction of generated features that lie on the real manifold, i.e. how
 *       many samples look real;</li>
 *   <li>recall: the fraction of real features that lie on the generated manifold, i.e. how much
 *       of the real variety the model covers.</li>
 * </ul>
 * Each manifold is a {@link FeatureManifold}: balls around its points with radius the distance
 * to the k-th nearest neighbour. Cost: two manifolds and two coverage passes, O((N² + M² + 2NM)·D)
 * for N real and M generated features of dimension D; see {@link FeatureManifold}.
 *
 * @param precision in [0, 1]
 * @param recall in [0, 1]
 * @param k the neighbourhood size the manifolds were built with
 */
public record PrecisionRecall(double precision, double recall, int k) {
    /** The paper's choice, k = 3, which it found to balance the two metrics' biases. */
    public static final int DEFAULT_K = 3;

    /** Validates the ranges. */
    public PrecisionRecall {
        if (!(precision >= 0 && precision <= 1) || !(recall >= 0 && recall <= 1)) {
            throw new IllegalArgumentException(
                    "precision and recall must be in [0, 1], got " + precision + ", " + recall);
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
    }

    /** Precision and recall with k = 3; rows are N × D real and M × D generated features. */
    public static PrecisionRecall of(double[][] real, double[][] generated) {
        return of(real, generated, DEFAULT_K);
    }

    /** Precision and recall with neighbourhood size k (1 ≤ k < min(N, M)). */
    public static PrecisionRecall of(double[][] real, double[][] generated, int k) {
        double precision = FeatureManifold.of(real, k).coverage(generated);
        double recall = FeatureManifold.of(generated, k).coverage(real);
        return new PrecisionRecall(precision, recall, k);
    }
}
