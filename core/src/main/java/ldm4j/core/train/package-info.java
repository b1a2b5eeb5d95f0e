/**
 * Training utilities shared by the autoencoder and diffusion trainers: {@link ldm4j.core.train.AdamW},
 * {@link ldm4j.core.train.GradNormClip}, {@link ldm4j.core.train.NonFiniteGuard},
 * {@link ldm4j.core.train.Ema}, {@link ldm4j.core.train.LrSchedule} and the
 * {@link ldm4j.core.train.TrainStep} that chains them, and {@link ldm4j.core.train.TrainCheckpoint}, the
 * one checkpoint layout in which every trainer saves and restores a model with its step.
 *
 * <p>Memory contract (docs/djl-rules.md, rule 1): parameters, optimizer state and EMA shadows live on a long-lived
 * root {@code NDManager}; every step runs in {@code root.newSubManager()}. Gradients are fetched into
 * that step scope ({@link ldm4j.core.train.Gradients#collect}) and every temporary computed from a
 * long-lived array is closed on the spot, so nothing a step computes stays in the root manager.
 *
 * <p>A step, after the {@code GradientCollector} has closed (in-place updates of leaf arrays are
 * refused while it records):
 *
 * <pre>{@code
 * try (NDManager scope = root.newSubManager()) {
 *     NDArray x = batches.next(scope);
 *     float loss;
 *     try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
 *         NDArray l = lossOf(model.forward(store, new NDList(x), true));
 *         gc.backward(l);
 *         loss = l.getFloat();
 *     }
 *     StepStats stats = trainStep.applyGradients(model.getParameters(), loss, scope);
 * }
 * }</pre>
 */
package ldm4j.core.train;
