package ldm4j.autoencoder.train;

import ldm4j.core.data.IteratorState;

/**
 * Trainer state in a checkpoint's sidecar beyond weights and optimiser moments: enough, with the
 * seed, to continue on exactly the batches and noise an uninterrupted run would have used.
 *
 * @param data where the training batch iterator stands
 * @param skippedSteps autoencoder steps skipped for non-finite gradients so far
 * @param discSkippedSteps discriminator steps skipped so far
 */
public record AutoencoderTrainState(IteratorState data, long skippedSteps, long discSkippedSteps) {}
