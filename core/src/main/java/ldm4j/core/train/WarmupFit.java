package ldm4j.core.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import ldm4j.core.InputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a trainer config's warm-up fit its run, so that a short run ({@code --steps 2}, the first
 * thing people try) works with the defaults and every preset. Reads the keys every trainer config
 * spells the same way: {@code steps}, {@code warmup} and {@code lr_decay} (missing: constant).
 *
 * <p>A warm-up that does not {@link LrSchedule#fits fit} is shortened to
 * {@link LrSchedule#shortWarmup a tenth of the run}, with one line that says so; the shortened value
 * is the config's, so the checkpoint records it and a resumed run keeps the schedule. Only when the
 * user wrote both {@code --warmup} and {@code --steps} is the pair refused, naming both.
 */
final class WarmupFit {
    private static final Logger LOG = LoggerFactory.getLogger(WarmupFit.class);

    static final String WARMUP = "warmup";
    static final String DECAY = "lr_decay";

    private WarmupFit() {}

    /**
     * Shortens {@code tree}'s warm-up when it does not fit. A missing or malformed value is left for
     * the config's own validation, which names it.
     *
     * @param given where the values came from, for the refusal and the line
     * @param report log the line, and refuse a pair both given as flags; false for a check whose
     *     result is thrown away or was reported before
     */
    static void apply(ObjectNode tree, GivenKeys given, boolean report) {
        Fit f = Fit.of(tree);
        if (f == null || LrSchedule.fits(f.decay(), f.warmup(), f.steps())) {
            return;
        }
        String warmupFrom = given.source(WARMUP).orElse("default");
        String stepsFrom = given.source(GivenKeys.STEPS).orElse("default");
        if (report && given.byFlag(WARMUP) && given.byFlag(GivenKeys.STEPS)) {
            throw new InputException(warmupFrom + " " + f.warmup() + " and " + stepsFrom + " " + f.steps()
                    + " do not fit together: a cosine decay needs steps after the warm-up; give " + warmupFrom
                    + " below " + f.steps() + ", or leave it out to warm up for a tenth of the run");
        }
        long shortened = LrSchedule.shortWarmup(f.steps());
        tree.put(WARMUP, shortened);
        if (report) {
            LOG.warn("warmup shortened from {} steps ({}) to {}, a tenth of the run: a cosine decay needs steps after"
                    + " the warm-up, and the run has {} ({})", f.warmup(), warmupFrom, shortened, f.steps(), stepsFrom);
        }
    }

    /**
     * Refuses a resumed run's new length when the checkpoint's warm-up does not fit it: the
     * warm-up is part of the schedule the run was trained on, so it is kept, not shortened.
     *
     * @param stepsFrom where the new length was set ("--steps")
     */
    static void requireFits(ObjectNode tree, String stepsFrom, Path checkpoint) {
        Fit f = Fit.of(tree);
        if (f != null && !LrSchedule.fits(f.decay(), f.warmup(), f.steps())) {
            throw new InputException(stepsFrom + " " + f.steps() + " leaves no step for the cosine decay after the"
                    + " warm-up of " + f.warmup() + " steps that the checkpoint " + checkpoint + " was trained with;"
                    + " give more than " + f.warmup());
        }
    }

    /** The three values, or null when one is missing or malformed. */
    private record Fit(LrSchedule.Decay decay, long warmup, long steps) {
        static Fit of(ObjectNode tree) {
            JsonNode steps = tree.get(GivenKeys.STEPS);
            JsonNode warmup = tree.get(WARMUP);
            JsonNode decay = tree.get(DECAY);
            if (steps == null || warmup == null || !steps.isIntegralNumber() || !warmup.isIntegralNumber()
                    || steps.asLong() < 1 || warmup.asLong() < 0) {
                return null;
            }
            try {
                return new Fit(LrSchedule.decayOf(decay == null || decay.isNull() ? null : decay.asText()),
                        warmup.asLong(), steps.asLong());
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }
}
