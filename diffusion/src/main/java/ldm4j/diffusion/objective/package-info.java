/**
 * What the denoiser is trained to predict (ε or v), the conversions between ε, x_0 and v, and the
 * per-timestep loss weights (uniform or min-SNR-γ).
 */
package ldm4j.diffusion.objective;
