/**
 * Pipelines that glue the trained models together (diffusers' third abstraction): {@link
 * ldm4j.pipeline.LatentDiffusionPipeline} (noise → UNet + sampler → latents / scale → decoder →
 * uint8 images) and {@link ldm4j.pipeline.PixelVaeSampler} (z ~ N(0, I) → decoder), the β = 1 VAE
 * baseline. Evaluation lives in {@link ldm4j.pipeline.eval}.
 */
package ldm4j.pipeline;
