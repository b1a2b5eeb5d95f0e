package ldm4j.core.train;

/**
 * Refuses optimizer steps whose gradients (or loss) are not finite, and counts them.
 *
 * <p>A safety net: one step with a NaN gradient applied by Adam poisons every weight for good. The
 * non-finite gradients that trainers used to see came from DJL's scalar overloads reading freed
 * memory in backward (docs/djl-rules.md, rule 2; prevented by {@code Scalars} and ArchitectureTest), and
 * none is expected now, so the skip count should read 0. The check costs nothing extra: it reads the
 * global gradient norm that {@link GradNormClip} computes anyway, which is NaN or infinite exactly
 * when some gradient element is (or when the sum of squares overflows float32, which is as
 * unusable). A few isolated skips are harmless and logged; many in a row mean divergence, and the
 * guard then throws so a run does not burn hours doing nothing.
 */
public final class NonFiniteGuard {
    /** Consecutive skips before giving up, unless told otherwise. */
    public static final int DEFAULT_MAX_CONSECUTIVE = 50;

    private final int maxConsecutive;
    private long skipped;
    private int consecutive;

    public NonFiniteGuard() {
        this(DEFAULT_MAX_CONSECUTIVE);
    }

    /**
     * @param maxConsecutive how many non-finite steps in a row abort training: with 50, skips 1 to 49
     *     are tolerated and the 50th throws
     */
    public NonFiniteGuard(int maxConsecutive) {
        if (maxConsecutive < 1) {
            throw new IllegalArgumentException("maxConsecutive must be >= 1, got " + maxConsecutive);
        }
        this.maxConsecutive = maxConsecutive;
    }

    /**
     * Decides whether this step may be applied, updating the counters.
     *
     * @param gradNorm the global gradient norm ({@link GradNormClip#clip})
     * @param loss the step's loss; pass 0 when it is not known
     * @return true when both are finite; false when the step must be skipped (its gradients zeroed
     *     and the optimizer, schedule and EMA left alone)
     * @throws NonFiniteGradientsException when this is skip number {@code maxConsecutive} in a row
     */
    public boolean allowStep(float gradNorm, float loss) {
        if (Float.isFinite(gradNorm) && Float.isFinite(loss)) {
            consecutive = 0;
            return true;
        }
        skipped++;
        consecutive++;
        if (consecutive >= maxConsecutive) {
            throw new NonFiniteGradientsException(consecutive + " steps in a row had non-finite gradients"
                    + " (last: grad norm " + gradNorm + ", loss " + loss + "); lower the learning rate,"
                    + " lower the gradient clipping norm, or check the input data for NaN/Inf");
        }
        return false;
    }

    /** Steps skipped since construction. */
    public long skippedSteps() {
        return skipped;
    }

    /** Steps skipped since the last applied one. */
    public int consecutiveSkips() {
        return consecutive;
    }

    public int maxConsecutive() {
        return maxConsecutive;
    }
}
