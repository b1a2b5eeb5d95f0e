/**
 * Forward noising process: beta schedules and the precomputed tables of the DDPM forward process.
 *
 * <p>Everything here is a pure function of {@code double[]} tables and NDArrays; no network is
 * involved.
 */
package ldm4j.diffusion.schedule;
