/**
 * Training and evaluating the stage-1 autoencoder.
 *
 * <p>{@link ldm4j.autoencoder.train.AutoencoderTrainConfig} (YAML + flags) configures a run;
 * {@link ldm4j.autoencoder.train.AutoencoderTrainer} drives {@link
 * ldm4j.autoencoder.train.AutoencoderStep} from core's {@code TrainingLoop}, evaluates with {@link
 * ldm4j.autoencoder.train.AutoencoderEvaluator} (PSNR, SSIM, rate, active units; {@link
 * ldm4j.autoencoder.train.LatentStatistics}) and writes checkpoints that {@link
 * ldm4j.autoencoder.train.AutoencoderCheckpoint} loads back for inference or resume.
 */
package ldm4j.autoencoder.train;
