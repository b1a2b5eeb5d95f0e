/**
 * Offline evaluation metrics on plain Java arrays, independent of the feature network that feeds
 * them.
 *
 * <ul>
 *   <li>Feature-set metrics on N × D {@code double[][]} rows: {@link ldm4j.pipeline.eval.GaussianStats}
 *       and {@link ldm4j.pipeline.eval.FrechetDistance} (FD, computed like FID);
 *       {@link ldm4j.pipeline.eval.PrecisionRecall} over {@link ldm4j.pipeline.eval.FeatureManifold}
 *       (Kynkäänniemi et al. 2019, k = 3).</li>
 *   <li>Label metrics: {@link ldm4j.pipeline.eval.ClassAccuracy} of class-conditional samples.</li>
 *   <li>Image metrics on flat N × C × H × W arrays: {@link ldm4j.pipeline.eval.Sharpness}
 *       (variance of the Laplacian relative to real data) and
 *       {@link ldm4j.core.metrics.ReconstructionMetrics} (PSNR, SSIM).</li>
 * </ul>
 *
 * <p>Everything here is a pure function of its inputs: no engine, no randomness, no files.
 */
package ldm4j.pipeline.eval;
