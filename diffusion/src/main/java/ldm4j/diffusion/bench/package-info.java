/** Benchmarks of stage 2 ({@code ldm4j bench diffusion}): training and sampling throughput, memory. */
package ldm4j.diffusion.bench;
