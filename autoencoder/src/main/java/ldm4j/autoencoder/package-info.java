/**
 * Stage 1 of latent diffusion: the KL-regularised autoencoder ("compressor").
 *
 * <p>{@link ldm4j.autoencoder.AutoencoderKL} = {@link ldm4j.autoencoder.Encoder} → 1×1 {@code
 * quant_conv} → {@link ldm4j.autoencoder.DiagonalGaussian} posterior → 1×1 {@code
 * post_quant_conv} → {@link ldm4j.autoencoder.Decoder}, shaped by an {@link
 * ldm4j.autoencoder.AutoencoderConfig}. Its losses live in {@code ldm4j.autoencoder.loss}.
 */
package ldm4j.autoencoder;
