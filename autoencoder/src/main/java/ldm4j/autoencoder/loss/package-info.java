/**
 * Losses of the KL autoencoder.
 *
 * <p>{@link ldm4j.autoencoder.loss.AutoencoderLoss} is the VAE part, {@code rec + β·KL} per image
 * averaged over the batch, with the reconstruction term chosen by {@link
 * ldm4j.autoencoder.loss.ReconstructionLoss}. The optional PatchGAN term has its own classes:
 * {@link ldm4j.autoencoder.loss.PatchDiscriminator}, {@link ldm4j.autoencoder.loss.HingeLoss} and
 * {@link ldm4j.autoencoder.loss.AdaptiveWeight} at {@link ldm4j.autoencoder.AutoencoderKL#lastLayer()},
 * configured by {@link ldm4j.autoencoder.loss.DiscriminatorConfig}. The trainer combines the
 * generator term's gradients with those of {@link
 * ldm4j.autoencoder.loss.AutoencoderLoss.Terms#total()}, and the discriminator gets its own
 * optimiser step, rather than one loss that branches on which network is being trained.
 */
package ldm4j.autoencoder.loss;
