/**
 * The stages of latent diffusion, one class each, with typed inputs and outputs: {@link
 * ldm4j.pipeline.stage.DataStage}, {@link ldm4j.pipeline.stage.AutoencoderStage}, {@link
 * ldm4j.pipeline.stage.EncodeStage}, {@link ldm4j.pipeline.stage.DiffusionStage}, {@link
 * ldm4j.pipeline.stage.SampleStage}, {@link ldm4j.pipeline.stage.BaselineStage}, {@link
 * ldm4j.pipeline.stage.EvalStage} and the feature network it scores in, {@link
 * ldm4j.pipeline.stage.ClassifierStage}.
 *
 * <p>{@code ldm4j run} ({@link ldm4j.pipeline.experiment.EndToEndRun}) and the single-stage commands
 * ({@code train-ae}, {@code encode}, {@code train-ldm}, {@code sample}, {@code eval}) call the same
 * classes; a stage knows nothing of the run directory or of a command line. Deciding whether a stage
 * runs at all (skipping, continuing, timing) is the driver's work ({@link
 * ldm4j.pipeline.experiment.RunDriver}).
 */
package ldm4j.pipeline.stage;
