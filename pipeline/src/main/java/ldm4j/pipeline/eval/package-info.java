/**
 * Offline evaluation: the feature network and the metrics computed on its features.
 *
 * <ul>
 *   <li>The feature network. No Inception weights can be had offline, so ldm4j trains its own small
 *       CNN ({@link ldm4j.pipeline.eval.FeatureClassifier}) on the dataset with
 *       {@link ldm4j.pipeline.eval.ClassifierTrainer}, caches it per dataset
 *       ({@link ldm4j.pipeline.eval.FeatureNetworks}) and uses its 128-d penultimate features, through
 *       {@link ldm4j.pipeline.eval.FeatureNetwork}, for every distance, and its predictions for the class
 *       accuracy of conditional samples.</li>
 *   <li>Feature-set metrics on N × D {@code double[][]} rows: {@link ldm4j.pipeline.eval.GaussianStats}
 *       and {@link ldm4j.pipeline.eval.FrechetDistance} (FD, computed like FID);
 *       {@link ldm4j.pipeline.eval.PrecisionRecall} over {@link ldm4j.pipeline.eval.FeatureManifold}
 *       (Kynkäänniemi et al. 2019, k = 3).</li>
 *   <li>Label metrics: {@link ldm4j.pipeline.eval.ClassAccuracy} of class-conditional samples, and the
 *       share of any samples the classifier cannot place ({@link ldm4j.pipeline.eval.ClassPredictions}:
 *       top class probability below 0.5).</li>
 *   <li>Image metrics on flat N × C × H × W arrays: {@link ldm4j.pipeline.eval.Sharpness}
 *       (variance of the Laplacian relative to real data) and
 *       {@link ldm4j.core.metrics.ReconstructionMetrics} (PSNR, SSIM).</li>
 * </ul>
 *
 * <p>The metrics are pure functions of their inputs: no engine, no randomness, no files.
 */
package ldm4j.pipeline.eval;
