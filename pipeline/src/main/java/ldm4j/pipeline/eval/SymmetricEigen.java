package ldm4j.pipeline.eval;

import org.apache.commons.math3.exception.MaxCountExceededException;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * The eigenvalues and eigenvectors (columns of {@code vectors}) of a symmetric positive
 * semi-definite matrix: a covariance, or √Σ₁Σ₂√Σ₁ in the FD.
 *
 * <p>Commons Math's {@link EigenDecomposition} caps its implicit QL iteration at 30 per eigenvalue
 * and throws on some rank-deficient covariances (an f-sweep progress point's FD bootstrap met one:
 * 128 × 128 of rank 91, kept as a test fixture). Its {@link SingularValueDecomposition} has no such
 * cap and stands in then: for a symmetric PSD matrix the singular values are the eigenvalues and the
 * right singular vectors are eigenvectors. An eigenvalue that rounding leaves just below zero comes
 * back as its absolute value, as close to zero (its square root, at most about 1e-7 for the
 * covariances of FD, is what any method gets wrong in Tr √M).
 */
record SymmetricEigen(double[] values, RealMatrix vectors) {
    /** @param symmetric a symmetric PSD matrix (symmetrise it first where rounding may have broken that) */
    static SymmetricEigen of(RealMatrix symmetric) {
        try {
            EigenDecomposition eig = new EigenDecomposition(symmetric);
            return new SymmetricEigen(eig.getRealEigenvalues(), eig.getV());
        } catch (MaxCountExceededException e) {
            SingularValueDecomposition svd = new SingularValueDecomposition(symmetric);
            return new SymmetricEigen(svd.getSingularValues(), svd.getV());
        }
    }
}
