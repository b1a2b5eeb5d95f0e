package ldm4j.core.train;

/**
 * What one {@link TrainStep#applyGradients} did, for the log.
 *
 * @param step optimizer steps applied so far, after this one (a skipped step does not count)
 * @param loss the loss that was passed in
 * @param gradNorm global gradient norm before clipping (NaN or infinite for a skipped step)
 * @param lr the learning rate used, or that would have been used by a skipped step
 * @param skipped true when the gradients were not finite and nothing was updated
 * @param skippedTotal steps skipped since the start of training
 */
public record StepStats(long step, float loss, float gradNorm, double lr, boolean skipped, long skippedTotal) {}
