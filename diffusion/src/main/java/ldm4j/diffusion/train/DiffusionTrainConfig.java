package ldm4j.diffusion.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.nio.file.Path;
import java.util.Objects;
import ldm4j.core.io.ConfigEnum;
import ldm4j.core.train.EmaConfig;
import ldm4j.core.train.GivenKeys;
import ldm4j.core.train.LrSchedule;
import ldm4j.diffusion.objective.LossWeighting;
import ldm4j.diffusion.objective.Objective;
import ldm4j.diffusion.objective.Prediction;
import ldm4j.diffusion.schedule.BetaSchedule;
import ldm4j.diffusion.schedule.NoiseSchedule;
import ldm4j.diffusion.unet.UNetConfig;

/**
 * Everything that shapes a stage-2 training run. In YAML the keys are snake_case; a key left out
 * keeps its value from {@link #defaults()}, an unknown key is an error. Choices are enums, written
 * as the names the CLI uses ({@code scaled-linear}, {@code v}, {@code min-snr}; {@link ConfigEnum}).
 *
 * @param model the UNet; in_channels and num_classes are set from the data by {@link #forData}
 * @param schedule beta schedule: linear, scaled-linear or cosine ({@link BetaSchedule})
 * @param timesteps T, the number of forward steps (1000 in DDPM and LDM)
 * @param betaStart β at the first step of a linear or scaled-linear schedule, as diffusers'
 *     {@code beta_start}; 0 keeps the schedule's own ({@link BetaSchedule#defaultStart}). Left out of
 *     the JSON when 0, so configs and fingerprints written before the key existed read the same
 * @param betaEnd β at the last step, as diffusers' {@code beta_end}; 0 keeps the schedule's own
 * @param prediction eps or v ({@link Prediction}; v from Salimans &amp; Ho 2022)
 * @param weighting uniform or min-snr (γ = 5, Hang et al. 2023)
 * @param steps optimizer steps of the whole run
 * @param batchSize images per step
 * @param lr peak learning rate of AdamW (Loshchilov &amp; Hutter 2019)
 * @param warmup linear warm-up steps, then constant (as LDM) or a cosine decay
 * @param lrDecay what follows the warm-up: {@code constant} (LDM's schedule; null reads as it) or
 *     {@code cosine} down to minLr at the last step ({@link LrSchedule}). Left out of the JSON when
 *     constant, so configs and fingerprints written before the key existed read the same
 * @param minLr the rate a cosine decay ends at, in [0, lr]; ignored by a constant schedule
 * @param weightDecay AdamW's decoupled weight decay (0 as ADM and LDM)
 * @param gradClip maximum global gradient norm
 * @param emaDecay EMA decay, with warm-up (1+n)/(10+n) ({@link EmaConfig})
 * @param classConditional train with labels, dropped to the null class with labelDropout
 * @param labelDropout probability of replacing a label with the null class, which is what makes
 *     classifier-free guidance possible (Ho &amp; Salimans 2022, Algorithm 1)
 * @param seed fixes the initial weights, the data order and every draw of t, ε and label dropout
 * @param logEvery a row of train-log.csv every this many steps
 * @param sampleEvery a samples-stepN.png every this many steps (0: only at the end)
 * @param checkpointEvery a checkpoint every this many steps (0: only at the end)
 * @param sampleCount images in each sample grid (0: no grids)
 * @param sampleSteps DDIM steps for the sample grids
 * @param sampleGuidance guidance scale for the grids of a class-conditional model
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DiffusionTrainConfig(
        UNetConfig model,
        BetaSchedule schedule,
        int timesteps,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) double betaStart,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) double betaEnd,
        Prediction prediction,
        LossWeighting weighting,
        long steps,
        int batchSize,
        double lr,
        long warmup,
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = ConstantDecay.class) LrSchedule.Decay lrDecay,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) double minLr,
        double weightDecay,
        double gradClip,
        double emaDecay,
        boolean classConditional,
        double labelDropout,
        long seed,
        int logEvery,
        int sampleEvery,
        int checkpointEvery,
        int sampleCount,
        int sampleSteps,
        double sampleGuidance) {

    public DiffusionTrainConfig {
        Objects.requireNonNull(model, "model");
        requireChoice(schedule, "schedule", BetaSchedule.class);
        requireChoice(prediction, "prediction", Prediction.class);
        requireChoice(weighting, "weighting", LossWeighting.class);
        if (timesteps < 2) {
            throw new IllegalArgumentException("timesteps must be >= 2, got " + timesteps);
        }
        schedule.checkBounds(betaStart, betaEnd);
        if (steps <= 0) {
            throw new IllegalArgumentException("steps must be > 0, got " + steps);
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch_size must be > 0, got " + batchSize);
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("lr must be finite and > 0, got " + lr);
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("warmup must be >= 0, got " + warmup);
        }
        lrDecay = lrDecay == null ? LrSchedule.Decay.CONSTANT : lrDecay;
        if (!(minLr >= 0 && minLr <= lr)) {
            throw new IllegalArgumentException("min_lr must be in [0, lr=" + lr + "], got " + minLr);
        }
        if (!LrSchedule.fits(lrDecay, warmup, steps)) {
            throw new IllegalArgumentException("steps (" + steps + ") must exceed warmup (" + warmup
                    + ") for a cosine decay");
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weight_decay must be finite and >= 0, got " + weightDecay);
        }
        if (!(gradClip > 0)) {
            throw new IllegalArgumentException("grad_clip must be > 0, got " + gradClip);
        }
        if (!(emaDecay > 0 && emaDecay < 1)) {
            throw new IllegalArgumentException("ema_decay must be in (0, 1), got " + emaDecay);
        }
        if (!(labelDropout >= 0 && labelDropout < 1)) {
            throw new IllegalArgumentException("label_dropout must be in [0, 1), got " + labelDropout);
        }
        if (logEvery <= 0) {
            throw new IllegalArgumentException("log_every must be > 0, got " + logEvery);
        }
        if (sampleEvery < 0 || checkpointEvery < 0 || sampleCount < 0) {
            throw new IllegalArgumentException("sample_every, checkpoint_every and sample_count must be >= 0");
        }
        if (sampleSteps < 1 || sampleSteps > timesteps) {
            throw new IllegalArgumentException("sample_steps must be in [1, timesteps=" + timesteps + "], got "
                    + sampleSteps);
        }
        if (!Double.isFinite(sampleGuidance)) {
            throw new IllegalArgumentException("sample_guidance must be finite, got " + sampleGuidance);
        }
    }

    /**
     * The defaults a YAML file or flags override: the speed-floor UNet (docs/speed-floor.md) on 4-channel latents,
     * linear schedule, ε-prediction, uniform weighting, lr 1e-4 with 500 warm-up steps, batch 64.
     */
    public static DiffusionTrainConfig defaults() {
        return new DiffusionTrainConfig(UNetConfig.speedFloor(4, 0), BetaSchedule.LINEAR, NoiseSchedule.DEFAULT_STEPS, 0.0,
                0.0, Prediction.EPS, LossWeighting.UNIFORM, 10_000, 64, 1e-4, 500, LrSchedule.Decay.CONSTANT, 0.0, 0.0, 1.0,
                EmaConfig.diffusionDefault().decay(), false, 0.1, 0, 50, 1000, 1000, 16, 50, 2.0);
    }

    /**
     * Reads a config: {@link #defaults()}, overridden by the keys of {@code yaml} (if not null), then
     * by {@code overrides} (the flags given on the command line, same keys). Nested objects merge
     * key by key; lists and scalars replace.
     *
     * @throws ldm4j.core.InputException naming the file (or the flags) and the key on any bad key or value
     */
    public static DiffusionTrainConfig load(Path yaml, JsonNode overrides) {
        return load(GivenKeys.file(yaml).flags(overrides));
    }

    /**
     * {@link #defaults()} overridden by the keys a user gave ({@link GivenKeys#resolve}). A warm-up
     * that leaves no step for a cosine decay is shortened to a tenth of the run, with one line that
     * says so, unless both {@code warmup} and {@code steps} were given as flags.
     */
    public static DiffusionTrainConfig load(GivenKeys given) {
        return given.resolve(defaults(), DiffusionTrainConfig.class, tree -> tree);
    }

    /**
     * {@link #defaults()} overridden by a section of a larger YAML file (e.g. the {@code diffusion:}
     * section of a run config), with the same keys as a train-ldm config file.
     *
     * @param source the file the section came from, named in errors
     * @param at the section's dotted key path in that file ({@code "diffusion"}), so that errors and
     *     the line about a shortened warm-up name a key the way the file spells it
     */
    public static DiffusionTrainConfig resolve(JsonNode section, Path source, String at) {
        return load(GivenKeys.section(source, section, at));
    }

    /**
     * The config that continues the run saved with {@code saved}: {@code given}'s keys must match it
     * and only {@code steps} may change ({@link GivenKeys#resume}).
     *
     * @param channels the data's channels and {@code numClasses} its classes, which a fresh run would
     *     have fitted the config to ({@link #forData})
     * @param checkpoint the checkpoint directory, named in errors
     */
    public static DiffusionTrainConfig resume(DiffusionTrainConfig saved, GivenKeys given, int channels,
            int numClasses, Path checkpoint) {
        return given.resume(saved, g -> load(g).forData(channels, numClasses), checkpoint);
    }

    /**
     * This config fitted to {@code data}: the UNet's in_channels become the data's channels, and
     * num_classes the data's class count when class-conditional (0 otherwise). Those two are derived,
     * never tuned.
     *
     * @throws IllegalArgumentException when class-conditional training is asked of unlabelled data
     */
    public DiffusionTrainConfig forData(int channels, int numClasses) {
        if (classConditional && numClasses <= 0) {
            throw new IllegalArgumentException("class_conditional needs labelled data, but the data has no classes");
        }
        UNetConfig fitted = model.withInChannels(channels).withNumClasses(classConditional ? numClasses : 0);
        return withModel(fitted);
    }

    /** This config with another UNet. */
    public DiffusionTrainConfig withModel(UNetConfig m) {
        return new DiffusionTrainConfig(m, schedule, timesteps, betaStart, betaEnd, prediction, weighting, steps, batchSize, lr, warmup,
                lrDecay, minLr, weightDecay, gradClip, emaDecay, classConditional, labelDropout, seed, logEvery, sampleEvery,
                checkpointEvery, sampleCount, sampleSteps, sampleGuidance);
    }

    /** This config with another total step count (a resumed run's new length). */
    public DiffusionTrainConfig withSteps(long n) {
        return new DiffusionTrainConfig(model, schedule, timesteps, betaStart, betaEnd, prediction, weighting, n, batchSize, lr, warmup,
                lrDecay, minLr, weightDecay, gradClip, emaDecay, classConditional, labelDropout, seed, logEvery,
                sampleEvery, checkpointEvery, sampleCount, sampleSteps, sampleGuidance);
    }

    /** The learning-rate schedule: warm-up, then constant or cosine to {@code minLr} at {@code steps}. */
    public LrSchedule lrSchedule() {
        return LrSchedule.of(decay(), lr, minLr, warmup, steps);
    }

    /** What follows the warm-up ({@link #lrDecay()}). */
    public LrSchedule.Decay decay() {
        return lrDecay;
    }

    /** The beta schedule ({@link #schedule()}). */
    public BetaSchedule betaSchedule() {
        return schedule;
    }

    /** The prediction target ({@link #prediction()}). */
    public Prediction predictionType() {
        return prediction;
    }

    /** The loss weighting ({@link #weighting()}). */
    public LossWeighting lossWeighting() {
        return weighting;
    }

    private static void requireChoice(Object value, String key, Class<? extends ConfigEnum> type) {
        if (value == null) {
            throw new IllegalArgumentException(key + " must be one of " + ConfigEnum.ids(type));
        }
    }

    /** The noise schedule with T = timesteps, between betaStart and betaEnd where given. */
    public NoiseSchedule noiseSchedule() {
        return NoiseSchedule.fromBetas(betaSchedule().betas(timesteps, betaStart, betaEnd));
    }

    /** The training objective. */
    public Objective objective() {
        return new Objective(predictionType(), lossWeighting());
    }

    /** The EMA settings: emaDecay with LDM's warm-up. */
    public EmaConfig ema() {
        return new EmaConfig(emaDecay, true);
    }

    /** Jackson's filter that leaves {@code lr_decay} out of the JSON when it is constant. */
    static final class ConstantDecay {
        @Override
        public boolean equals(Object value) {
            return value == null || value == LrSchedule.Decay.CONSTANT;
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }
}
