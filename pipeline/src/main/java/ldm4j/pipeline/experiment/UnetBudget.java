package ldm4j.pipeline.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The UNet's training as a compute budget rather than a step count ({@code unet_budget:} in a run
 * config): equal seconds for every model of an f sweep, where equal steps would give the pixel
 * model (about 20× slower per image) hours. The budget is turned into {@code diffusion.steps} once,
 * from a short throughput measurement ({@link ThroughputProbe}), and that measurement is written
 * back into the run's {@code config.yaml} under {@code measured}, so the run is reproducible and a
 * resumed one takes the same steps without measuring again.
 *
 * <pre>
 * unet_budget:
 *   seconds: 264          # the UNet's training time on the measuring machine
 *   warmup_steps: 3       # steps run before the clock starts (allocation, first-call costs)
 *   probe_steps: 10       # steps timed
 *   measured: {images_per_second: 12.3, steps: 50}   # written by the probe; diffusion.steps follows it
 * </pre>
 *
 * @param seconds the budget, seconds of UNet training (> 0)
 * @param warmupSteps untimed steps before the measurement (default {@value #DEFAULT_WARMUP_STEPS})
 * @param probeSteps timed steps (default {@value #DEFAULT_PROBE_STEPS})
 * @param measured what the probe found, or null before it ran
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UnetBudget(double seconds, Integer warmupSteps, Integer probeSteps, Measured measured) {
    /** Untimed steps: the first calls allocate and pick kernels. */
    public static final int DEFAULT_WARMUP_STEPS = 3;
    /** Timed steps: about 5 s for the pixel UNet at batch 64 on 2 cores, well under a second for latents. */
    public static final int DEFAULT_PROBE_STEPS = 10;

    /**
     * A probe's result.
     *
     * @param imagesPerSecond training images per second over the timed steps
     * @param steps the step count the budget buys at that rate: ⌊seconds · img/s / batch⌋, at least 1
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Measured(double imagesPerSecond, long steps) {
        public Measured {
            if (!(imagesPerSecond > 0) || Double.isInfinite(imagesPerSecond)) {
                throw new IllegalArgumentException("images_per_second must be finite and > 0, got " + imagesPerSecond);
            }
            if (steps < 1) {
                throw new IllegalArgumentException("steps must be >= 1, got " + steps);
            }
        }
    }

    public UnetBudget {
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("seconds must be finite and > 0, got " + seconds);
        }
        warmupSteps = warmupSteps == null ? DEFAULT_WARMUP_STEPS : warmupSteps;
        probeSteps = probeSteps == null ? DEFAULT_PROBE_STEPS : probeSteps;
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warmup_steps must be >= 0, got " + warmupSteps);
        }
        if (probeSteps < 1) {
            throw new IllegalArgumentException("probe_steps must be >= 1, got " + probeSteps);
        }
    }

    /** The steps {@link #seconds} buy at {@code imagesPerSecond} with batches of {@code batchSize}. */
    public long stepsAt(double imagesPerSecond, int batchSize) {
        return Math.max(1, (long) Math.floor(seconds * imagesPerSecond / batchSize));
    }

    /** This budget with a probe's result. */
    public UnetBudget withMeasured(double imagesPerSecond, int batchSize) {
        return new UnetBudget(seconds, warmupSteps, probeSteps,
                new Measured(imagesPerSecond, stepsAt(imagesPerSecond, batchSize)));
    }
}
