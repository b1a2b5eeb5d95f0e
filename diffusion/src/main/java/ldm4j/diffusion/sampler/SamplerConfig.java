package ldm4j.diffusion.sampler;

import java.util.Objects;

/**
 * How to sample.
 *
 * @param steps number of denoising steps n ≤ T (DDPM: T for the full ancestral chain)
 * @param eta DDIM's η ≥ 0: 0 is deterministic, 1 has DDPM's posterior variance (ignored by
 *     DDPM and DPM-Solver++)
 * @param spacing which n of the T steps are visited
 * @param guidanceScale classifier-free guidance scale w: uncond + w·(cond − uncond); 1 is plain
 *     conditional sampling, 0 unconditional (ignored when {@code classLabels} is null)
 * @param classLabels one class per sample, or {@code null} for an unconditional model
 * @param nullClass the label the model was trained with for "no class" (label dropout)
 * @param seed seeds x_T and every noise draw
 */
public record SamplerConfig(
        int steps, double eta, TimestepSpacing spacing, double guidanceScale, int[] classLabels, int nullClass,
        long seed) {

    public SamplerConfig {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        if (!(eta >= 0) || Double.isInfinite(eta)) {
            throw new IllegalArgumentException("eta must be a finite value >= 0, got " + eta);
        }
        Objects.requireNonNull(spacing, "spacing");
        if (!Double.isFinite(guidanceScale)) {
            throw new IllegalArgumentException("guidanceScale must be finite, got " + guidanceScale);
        }
        if (classLabels != null) {
            classLabels = classLabels.clone();
            for (int label : classLabels) {
                if (label < 0) {
                    throw new IllegalArgumentException("classLabels must be >= 0, got " + label);
                }
            }
            if (nullClass < 0) {
                throw new IllegalArgumentException("nullClass must be >= 0, got " + nullClass);
            }
        }
    }

    /** Unconditional, η = 0, uniform (leading) spacing. */
    public static SamplerConfig of(int steps, long seed) {
        return new SamplerConfig(steps, 0.0, TimestepSpacing.LEADING, 1.0, null, 0, seed);
    }

    @Override
    public int[] classLabels() {
        return classLabels == null ? null : classLabels.clone();
    }

    public SamplerConfig withEta(double newEta) {
        return new SamplerConfig(steps, newEta, spacing, guidanceScale, classLabels, nullClass, seed);
    }

    public SamplerConfig withSpacing(TimestepSpacing newSpacing) {
        return new SamplerConfig(steps, eta, newSpacing, guidanceScale, classLabels, nullClass, seed);
    }

    public SamplerConfig withSeed(long newSeed) {
        return new SamplerConfig(steps, eta, spacing, guidanceScale, classLabels, nullClass, newSeed);
    }

    /** Class-conditional sampling with classifier-free guidance scale {@code w}. */
    public SamplerConfig withGuidance(int[] labels, int newNullClass, double w) {
        return new SamplerConfig(steps, eta, spacing, w, labels, newNullClass, seed);
    }
}
