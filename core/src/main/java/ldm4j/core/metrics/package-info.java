/**
 * Metric primitives that more than one stage needs: reconstruction quality (PSNR, SSIM) for the
 * autoencoder's evaluation and the pipeline's reports.
 */
package ldm4j.core.metrics;
