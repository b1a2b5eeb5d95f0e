package ldm4j.pipeline.eval;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;

/**
 * Fréchet distance between two feature sets, computed like FID (Heusel et al. 2017) but on
 * ldm4j's own feature network ("FD"):
 *
 * <pre>
 *   FD = ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 (Σ₁ Σ₂)^{1/2})
 * </pre>
 *
 * <p>This is the squared 2-Wasserstein distance between N(μ₁, Σ₁) and N(μ₂, Σ₂) (Dowson &amp;
 * Landau 1982). The usual FID code takes {@code scipy.linalg.sqrtm(Σ₁Σ₂)} of a non-symmetric
 * product and then has to drop imaginary parts that rounding creates. Here the trace term uses
 * the identity
 *
 * <pre>
 *   Tr (Σ₁ Σ₂)^{1/2} = Tr (√Σ₁ Σ₂ √Σ₁)^{1/2} = Σᵢ √λᵢ(√Σ₁ Σ₂ √Σ₁)
 * </pre>
 *
 * <p>(Σ₁Σ₂ = √Σ₁·(√Σ₁Σ₂) and √Σ₁Σ₂√Σ₁ = (√Σ₁Σ₂)·√Σ₁ are products AB and BA of square matrices,
 * so they have the same eigenvalues, singular Σ₁ included.) Only symmetric positive semi-definite
 * matrices are ever decomposed, each by {@link SymmetricEigen}; eigenvalues that
 * rounding pushes slightly below zero are clamped to 0. Rank-deficient covariances (N ≤ D,
 * constant or duplicated features) therefore give a finite, non-negative result without the ε·I
 * offset that FID code falls back to.
 *
 * <p>Cost: O(N·D²) for each covariance plus two D × D eigen-decompositions, O(D³). At D = 128 one
 * FD, statistics included, took about 50 ms here.
 */
public final class FrechetDistance {
    private FrechetDistance() {}

    /** FD between two N × D feature sets (rows are samples; N may differ between the sets). */
    public static double between(double[][] featuresA, double[][] featuresB) {
        return between(GaussianStats.of(featuresA), GaussianStats.of(featuresB));
    }

    /** FD between two cached statistics, e.g. real-data reference stats and a set of samples. */
    public static double between(GaussianStats a, GaussianStats b) {
        if (a.dimension() != b.dimension()) {
            throw new IllegalArgumentException("feature dimensions differ: " + a.dimension() + " vs " + b.dimension());
        }
        return ofGaussians(a.meanVector(), a.covarianceMatrix(), b.meanVector(), b.covarianceMatrix());
    }

    /**
     * Closed-form Fréchet (2-Wasserstein²) distance between N(μ₁, Σ₁) and N(μ₂, Σ₂).
     *
     * <p>The true value is ≥ 0; a result that rounding makes slightly negative is returned as 0.
     *
     * @param sigma1 symmetric positive semi-definite D × D
     * @param sigma2 symmetric positive semi-definite D × D
     */
    public static double ofGaussians(RealVector mu1, RealMatrix sigma1, RealVector mu2, RealMatrix sigma2) {
        int d = mu1.getDimension();
        if (mu2.getDimension() != d || !isSquare(sigma1, d) || !isSquare(sigma2, d)) {
            throw new IllegalArgumentException("shapes do not match: μ₁ " + d + ", μ₂ " + mu2.getDimension()
                    + ", Σ₁ " + sigma1.getRowDimension() + "x" + sigma1.getColumnDimension()
                    + ", Σ₂ " + sigma2.getRowDimension() + "x" + sigma2.getColumnDimension());
        }
        double meanTerm = mu1.subtract(mu2).dotProduct(mu1.subtract(mu2));
        double traceTerm = sigma1.getTrace() + sigma2.getTrace() - 2 * traceSqrtOfProduct(sigma1, sigma2);
        return Math.max(0.0, meanTerm + traceTerm);
    }

    /** {@link #ofGaussians(RealVector, RealMatrix, RealVector, RealMatrix)} on plain arrays. */
    public static double ofGaussians(double[] mu1, double[][] sigma1, double[] mu2, double[][] sigma2) {
        return ofGaussians(new ArrayRealVector(mu1), new Array2DRowRealMatrix(sigma1),
                new ArrayRealVector(mu2), new Array2DRowRealMatrix(sigma2));
    }

    /**
     * Tr (Σ₁ Σ₂)^{1/2} for symmetric PSD Σ₁, Σ₂, as Σᵢ √max(λᵢ, 0) over the eigenvalues of the
     * symmetric PSD matrix √Σ₁ Σ₂ √Σ₁.
     */
    public static double traceSqrtOfProduct(RealMatrix sigma1, RealMatrix sigma2) {
        return traceSqrtGivenRoot(sqrtPsd(sigma1), sigma2);
    }

    /**
     * FD between {@code samples} and {@code reference} when √Σ of the reference is already known:
     * the trace term is symmetric in Σ₁ and Σ₂, so √Σ_ref can stand in for √Σ₁ and one
     * decomposition is saved per call (what {@link FdBootstrap} repeats hundreds of times).
     *
     * @param referenceRoot {@link #sqrtPsd} of the reference covariance
     */
    public static double withReferenceRoot(GaussianStats samples, GaussianStats reference, RealMatrix referenceRoot) {
        if (samples.dimension() != reference.dimension()) {
            throw new IllegalArgumentException("feature dimensions differ: " + samples.dimension() + " vs "
                    + reference.dimension());
        }
        RealVector diff = samples.meanVector().subtract(reference.meanVector());
        RealMatrix sigma = samples.covarianceMatrix();
        double traceTerm = sigma.getTrace() + reference.covarianceMatrix().getTrace()
                - 2 * traceSqrtGivenRoot(referenceRoot, sigma);
        return Math.max(0.0, diff.dotProduct(diff) + traceTerm);
    }

    private static double traceSqrtGivenRoot(RealMatrix root1, RealMatrix sigma2) {
        RealMatrix inner = root1.multiply(symmetrised(sigma2)).multiply(root1);
        double trace = 0;
        for (double lambda : SymmetricEigen.of(symmetrised(inner)).values()) {
            trace += Math.sqrt(Math.max(lambda, 0.0));
        }
        return trace;
    }

    /**
     * The symmetric PSD square root V·diag(√max(λ, 0))·Vᵀ of a symmetric PSD matrix. Eigenvalues
     * below zero can only come from rounding (a covariance is PSD) and are clamped to 0.
     */
    public static RealMatrix sqrtPsd(RealMatrix m) {
        SymmetricEigen eig = SymmetricEigen.of(symmetrised(m));
        double[] lambda = eig.values();
        RealMatrix v = eig.vectors();
        int d = lambda.length;
        double[][] out = new double[d][d];
        for (int k = 0; k < d; k++) {
            double s = Math.sqrt(Math.max(lambda[k], 0.0));
            if (s == 0) {
                continue;
            }
            double[] vk = v.getColumn(k);
            for (int i = 0; i < d; i++) {
                double svi = s * vk[i];
                for (int j = 0; j < d; j++) {
                    out[i][j] += svi * vk[j];
                }
            }
        }
        return new Array2DRowRealMatrix(out, false);
    }

    /**
     * (M + Mᵀ) / 2. Products such as √Σ₁Σ₂√Σ₁ are symmetric only up to rounding, and Commons
     * Math would then take its non-symmetric (Schur) path, which can return complex eigenvalues.
     */
    private static RealMatrix symmetrised(RealMatrix m) {
        return m.add(m.transpose()).scalarMultiply(0.5);
    }

    private static boolean isSquare(RealMatrix m, int d) {
        return m.getRowDimension() == d && m.getColumnDimension() == d;
    }
}
