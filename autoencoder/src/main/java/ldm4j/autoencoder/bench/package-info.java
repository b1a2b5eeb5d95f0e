/**
 * The stage-1 benchmark ({@code ldm4j bench autoencoder}): {@link
 * ldm4j.autoencoder.bench.AutoencoderBench} and its analytic FLOP count {@link
 * ldm4j.autoencoder.bench.AutoencoderFlops}.
 */
package ldm4j.autoencoder.bench;
