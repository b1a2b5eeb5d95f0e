package ldm4j.core.train;

import java.util.Locale;
import java.util.Objects;
import ldm4j.core.io.ConfigEnum;

/**
 * Learning rate as a pure function of the optimizer step: a linear warm-up (Goyal et al. 2017,
 * "Accurate, Large Minibatch SGD", §2.2) followed by either a constant rate or a half-cosine decay to
 * {@code minLr} (Loshchilov &amp; Hutter 2017, "SGDR", eq. 5, one cycle without restarts).
 *
 * <pre>
 * step &lt; warmup:   lr = peakLr · (step + 1) / warmup          (reaches peakLr at step warmup − 1)
 * CONSTANT:        lr = peakLr
 * COSINE:          p = min(1, (step − warmup) / (totalSteps − warmup))
 *                  lr = minLr + (peakLr − minLr) · (1 + cos(π·p)) / 2
 * </pre>
 *
 * The warm-up starts at {@code peakLr/warmup}, not 0, so no step is wasted. After {@code totalSteps}
 * a cosine schedule stays at {@code minLr}.
 *
 * @param decay what follows the warm-up
 * @param peakLr the rate at the end of warm-up, &gt; 0
 * @param minLr the rate a cosine decay ends at, in [0, peakLr]; ignored by CONSTANT
 * @param warmupSteps steps of linear warm-up, ≥ 0
 * @param totalSteps the step at which a cosine decay reaches minLr, &gt; warmupSteps; ignored by
 *     CONSTANT
 */
public record LrSchedule(Decay decay, double peakLr, double minLr, long warmupSteps, long totalSteps) {
    /** What follows the warm-up; {@code lr_decay: constant} or {@code cosine} in a config. */
    public enum Decay implements ConfigEnum {
        /** Stay at the peak rate. */
        CONSTANT,
        /** Half a cosine from the peak rate down to the minimum rate. */
        COSINE;

        @Override
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public LrSchedule {
        Objects.requireNonNull(decay, "decay");
        if (!(peakLr > 0) || Double.isInfinite(peakLr)) {
            throw new IllegalArgumentException("peakLr must be finite and > 0, got " + peakLr);
        }
        if (!(minLr >= 0 && minLr <= peakLr)) {
            throw new IllegalArgumentException("minLr must be in [0, peakLr=" + peakLr + "], got " + minLr);
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warmupSteps must be >= 0, got " + warmupSteps);
        }
        if (decay == Decay.COSINE && totalSteps <= warmupSteps) {
            throw new IllegalArgumentException("totalSteps must be > warmupSteps=" + warmupSteps
                    + " for a cosine decay, got " + totalSteps);
        }
    }

    /** Linear warm-up, then half-cosine decay from peakLr to minLr at totalSteps. */
    public static LrSchedule cosine(double peakLr, double minLr, long warmupSteps, long totalSteps) {
        return new LrSchedule(Decay.COSINE, peakLr, minLr, warmupSteps, totalSteps);
    }

    /** Linear warm-up, then peakLr for ever. */
    public static LrSchedule constant(double peakLr, long warmupSteps) {
        return new LrSchedule(Decay.CONSTANT, peakLr, peakLr, warmupSteps, warmupSteps);
    }

    /**
     * The schedule a trainer config names ({@code lr_decay}, {@code lr}, {@code min_lr},
     * {@code warmup}, {@code steps}): {@link #cosine} or {@link #constant}, which ignores minLr and
     * totalSteps.
     */
    public static LrSchedule of(Decay decay, double peakLr, double minLr, long warmupSteps, long totalSteps) {
        return decay == Decay.COSINE ? cosine(peakLr, minLr, warmupSteps, totalSteps) : constant(peakLr, warmupSteps);
    }

    /**
     * Whether a warm-up of {@code warmupSteps} leaves room for {@code decay} in a run of
     * {@code totalSteps}. A cosine decay needs at least one step after the warm-up (its progress
     * divides by {@code totalSteps − warmupSteps}). A constant rate fits any warm-up: a longer one only
     * never reaches the peak, and continuing the run to more steps later equals the longer run.
     */
    public static boolean fits(Decay decay, long warmupSteps, long totalSteps) {
        return decay == Decay.CONSTANT || warmupSteps < totalSteps;
    }

    /**
     * The warm-up a run of {@code totalSteps} gets when the configured one does not {@link #fits fit}:
     * a tenth of the run, rounded down (0 below 10 steps), which always leaves steps for the decay.
     */
    public static long shortWarmup(long totalSteps) {
        return totalSteps / 10;
    }

    /** The decay a config spells {@code name} (any case); null or missing reads as {@link Decay#CONSTANT}. */
    public static Decay decayOf(String name) {
        return name == null ? Decay.CONSTANT : ConfigEnum.parse(Decay.class, name);
    }

    /**
     * @param step the optimizer step about to be taken, counting from 0
     * @return its learning rate
     */
    public double lr(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        if (step < warmupSteps) {
            return peakLr * (step + 1) / warmupSteps;
        }
        return switch (decay) {
            case CONSTANT -> peakLr;
            case COSINE -> {
                double progress = Math.min(1.0, (double) (step - warmupSteps) / (totalSteps - warmupSteps));
                yield minLr + (peakLr - minLr) * 0.5 * (1 + Math.cos(Math.PI * progress));
            }
        };
    }
}
