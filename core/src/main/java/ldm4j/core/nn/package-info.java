/**
 * Neural-network building blocks shared by the autoencoder and the UNet.
 *
 * <p>Every block follows DJL's composite-block pattern: it extends {@link ai.djl.nn.AbstractBlock},
 * keeps its children in {@code final} fields registered with {@code addChildBlock} in forward
 * order under the names that CompVis/latent-diffusion uses ({@code norm1}, {@code conv1}, {@code
 * nin_shortcut}, {@code q}, {@code proj_out}, ...), so that a parameter key such as {@code
 * 03norm2_gamma} maps to its Python twin {@code norm2.weight}. Layout is NCHW float32.
 *
 * <p>Native memory: the result of an op belongs to the manager of its first operand. Blocks
 * here never leave an array derived from a parameter in the parameter's (long-lived) manager:
 * see {@link ldm4j.core.nn.Tensors#adopt}.
 */
package ldm4j.core.nn;
