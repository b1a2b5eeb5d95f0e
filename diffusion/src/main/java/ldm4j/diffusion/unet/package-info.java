/**
 * The denoising network of stage 2: the ADM/LDM {@link ldm4j.diffusion.unet.UNet} with its
 * {@link ldm4j.diffusion.unet.TimestepEmbedding} and {@link ldm4j.diffusion.unet.ClassEmbedding},
 * shaped by a {@link ldm4j.diffusion.unet.UNetConfig}, and the
 * {@link ldm4j.diffusion.unet.UNetDenoiser} adapter the samplers call.
 */
package ldm4j.diffusion.unet;
