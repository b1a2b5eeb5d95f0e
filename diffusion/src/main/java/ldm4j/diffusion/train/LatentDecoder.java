package ldm4j.diffusion.train;

import ai.djl.ndarray.NDArray;

/**
 * Turns latents into images for the trainer's sample grids. The diffusion module cannot decode
 * (it never imports the autoencoder); the pipeline passes its decoder in through this hook.
 */
@FunctionalInterface
public interface LatentDecoder {
    /**
     * @param latents (N, C, h, w) latents as the encoder gives them: the trainer has already divided
     *     by the scale factor (LDM §4.3.2)
     * @return images (N, C', H, W) in [-1, 1], on the latents' manager
     */
    NDArray decode(NDArray latents);
}
