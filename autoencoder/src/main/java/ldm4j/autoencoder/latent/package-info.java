/**
 * From images to stage-2 data: {@link ldm4j.autoencoder.latent.LatentEncoder} writes a dataset's
 * latents as core's {@code LatentSet}, with the scale factor of {@link
 * ldm4j.autoencoder.latent.LatentScale}.
 */
package ldm4j.autoencoder.latent;
