/**
 * Drawing samples from a trained UNet in batches (any N), with class labels and classifier-free
 * guidance: the glue between {@link ldm4j.diffusion.unet.UNet} and {@link ldm4j.diffusion.sampler.Sampler}.
 */
package ldm4j.diffusion.generate;
