/**
 * The feature network for offline evaluation. No Inception weights can be had offline, so ldm4j
 * trains its own small CNN ({@link ldm4j.pipeline.eval.FeatureClassifier}) on the dataset with
 * {@link ldm4j.pipeline.eval.ClassifierTrainer}, caches it per dataset ({@link
 * ldm4j.pipeline.eval.FeatureNetworks}) and uses its 128-d penultimate features, through {@link
 * ldm4j.pipeline.eval.FeatureNetwork}, for Fréchet distance and precision/recall, and its
 * predictions for the class accuracy of conditional samples.
 */
package ldm4j.pipeline.eval;
