/**
 * Samplers that turn a trained denoiser into draws from the data distribution: DDPM ancestral
 * sampling, DDIM and DPM-Solver++(2M), each with classifier-free guidance.
 *
 * <p>Each algorithm is a two-call contract: a timestep grid, then pure step functions (noise and
 * multistep state come in as arguments and go out as results, never kept in a field). Each file's
 * {@code sample} writes the whole loop out, one {@link ai.djl.ndarray.NDManager} scope per step.
 */
package ldm4j.diffusion.sampler;
