/**
 * Stage-2 training: {@link ldm4j.diffusion.train.DiffusionTrainer} runs the DDPM objective on latents
 * or pixels through core's training loop, configured by a
 * {@link ldm4j.diffusion.train.DiffusionTrainConfig} and resumable from a
 * {@link ldm4j.diffusion.train.DiffusionCheckpoint}.
 */
package ldm4j.diffusion.train;
