package ldm4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything that happens between {@code backward} and the next batch, in one call: clip by global
 * norm → refuse non-finite steps → AdamW at the scheduled rate → EMA → zero the gradients.
 *
 * <pre>{@code
 * TrainStep trainStep = new TrainStep(new AdamW(root, AdamWConfig.defaults()),
 *         LrSchedule.cosine(1e-4, 1e-6, 500, 100_000), new GradNormClip(1.0), new NonFiniteGuard(),
 *         new Ema(root, EmaConfig.diffusionDefault(), model.getParameters()));
 * ...
 * try (NDManager scope = root.newSubManager()) {
 *     // forward + backward under a GradientCollector, closed before this call
 *     StepStats s = trainStep.applyGradients(model.getParameters(), loss, scope);
 * }
 * }</pre>
 *
 * The learning rate is taken at the optimizer's step count, so skipped steps do not advance the
 * schedule. Gradients are zeroed on every path, skipped steps included: PyTorch accumulates them, and
 * a NaN left behind would poison every later step. The same accumulation allows micro-batching:
 * several {@code backward} calls on losses scaled by 1/k, then one {@code applyGradients}.
 */
public final class TrainStep {
    private final AdamW optimizer;
    private final LrSchedule schedule;
    private final GradNormClip clip;
    private final NonFiniteGuard guard;
    private final Ema ema;

    /** A step without EMA (e.g. the autoencoder). */
    public TrainStep(AdamW optimizer, LrSchedule schedule, GradNormClip clip, NonFiniteGuard guard) {
        this(optimizer, schedule, clip, guard, null);
    }

    /**
     * @param optimizer applies the update
     * @param schedule gives the learning rate at the optimizer's step count
     * @param clip global-norm clipping ({@link GradNormClip#measureOnly()} to only measure)
     * @param guard decides whether the step is applied
     * @param ema averaged after each applied step; null for none
     */
    public TrainStep(AdamW optimizer, LrSchedule schedule, GradNormClip clip, NonFiniteGuard guard, Ema ema) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.clip = Objects.requireNonNull(clip, "clip");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.ema = ema;
    }

    /**
     * Applies this step's gradients to {@code params}. Call it after the {@code GradientCollector}
     * has closed and before {@code scope} closes.
     *
     * @param params the model's parameters, as from {@code block.getParameters()}
     * @param loss the step's loss (checked for finiteness with the gradients)
     * @param scope the step's manager; the gradient views close with it
     * @return norm, learning rate and whether the step was skipped
     * @throws NonFiniteGradientsException when too many steps in a row were not finite
     */
    public StepStats applyGradients(PairList<String, Parameter> params, float loss, NDManager scope) {
        List<ParamGrad> grads = Gradients.collect(params, scope);
        double lr = schedule.lr(optimizer.stepCount());
        float norm;
        boolean applied;
        try {
            norm = clip.clip(grads);
            applied = guard.allowStep(norm, loss);
            if (applied) {
                optimizer.step(grads, lr);
                if (ema != null) {
                    ema.update(params);
                }
            }
        } finally {
            Gradients.zero(grads);
        }
        return new StepStats(optimizer.stepCount(), loss, norm, lr, !applied, guard.skippedSteps());
    }

    public AdamW optimizer() {
        return optimizer;
    }

    public LrSchedule schedule() {
        return schedule;
    }

    public NonFiniteGuard guard() {
        return guard;
    }

    public Optional<Ema> ema() {
        return Optional.ofNullable(ema);
    }

    /**
     * Optimizer and EMA state in one map ({@code adamw.*} and {@code ema.*} keys), for a checkpoint.
     *
     * @param target the manager that owns the copies
     * @return an insertion-ordered map from key to copy
     */
    public Map<String, NDArray> stateDict(NDManager target) {
        Map<String, NDArray> out = new LinkedHashMap<>(optimizer.stateDict(target));
        if (ema != null) {
            out.putAll(ema.stateDict(target));
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * Restores what {@link #stateDict} wrote; model weights are restored separately.
     *
     * @param dict a checkpoint map holding at least the {@code adamw.*} (and, with EMA, {@code
     *     ema.*}) entries
     */
    public void loadStateDict(Map<String, NDArray> dict) {
        optimizer.loadStateDict(dict);
        if (ema != null) {
            ema.loadStateDict(dict);
        }
    }
}
