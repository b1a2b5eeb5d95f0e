package ldm4j.autoencoder.train;

import ldm4j.core.data.IteratorState;

/**
 * Trainer state in a checkpoint's sidecar beyond weights and optimiser moments: enough, with the
 * seed, to continue on exactly the batches and noise an uninterrupted run would have used.
 *
 * @param data where the training batch iterator stands
 * @param skippedSteps autoencoder steps skipped for non-finite gradients so far
 * @param discSkippedSteps discriminator steps skipped so far
 * @param dataset the training data's name or spec (provenance)
 * @param datasetHash the training data's cache hash: the data order is only the same on the same data
 */
public record AutoencoderTrainState(IteratorState data, long skippedSteps, long discSkippedSteps, String dataset,
        String datasetHash) {}
