/**
 * Losses of the KL autoencoder.
 *
 * <p>{@link ldm4j.autoencoder.loss.AutoencoderLoss} is the VAE part, {@code rec + β·KL} per image
 * averaged over the batch, with the reconstruction term chosen by {@link
 * ldm4j.autoencoder.loss.ReconstructionLoss}. The optional PatchGAN term (discriminator, hinge
 * loss, adaptive weight at {@link ldm4j.autoencoder.AutoencoderKL#lastLayer()}) belongs in its
 * own classes in this package; the trainer adds its weighted generator term to {@link
 * ldm4j.autoencoder.loss.AutoencoderLoss.Terms#total()}, and the discriminator gets its own
 * optimiser step, rather than one loss that branches on which network is being trained.
 */
package ldm4j.autoencoder.loss;
