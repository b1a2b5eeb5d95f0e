package ldm4j.diffusion.train;

import ldm4j.core.data.IteratorState;

/**
 * What a stage-2 checkpoint stores besides tensors and config, to resume exactly.
 *
 * <p>The random state needs no field: every draw of a step comes from (seed, step) ({@link StepDraws}),
 * and the engine is reseeded the same way before each step (dropout), so the step count in the
 * sidecar is the whole random state.
 *
 * @param space latent or pixel
 * @param shape {C, H, W} of x_0
 * @param source the latent directory or dataset the model was trained on
 * @param iterator where the data order stands
 * @param skippedSteps steps refused by the non-finite guard so far
 * @param autoencoderSha256 the SHA-256 of the weights of the autoencoder whose latents the UNet was
 *     trained on, from the latents' header: sampling refuses any other autoencoder. Null in pixel
 *     space, for latents that did not record it, and in checkpoints written before ldm4j recorded it
 *     (their sidecar's {@code scaleFactor} then stands in for it)
 */
public record DiffusionTrainState(DataSpace space, long[] shape, String source, IteratorState iterator,
        long skippedSteps, String autoencoderSha256) {
    public DiffusionTrainState {
        shape = shape.clone();
    }

    /** {C, H, W} of x_0 (a copy). */
    @Override
    public long[] shape() {
        return shape.clone();
    }
}
