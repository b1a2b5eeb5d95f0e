package ldm4j.diffusion.generate;

import java.util.Objects;
import ldm4j.diffusion.sampler.Sampler;
import ldm4j.diffusion.sampler.TimestepSpacing;

/**
 * What to draw from a trained UNet.
 *
 * @param count number of samples N
 * @param batchSize samples per sampler call (any N fits: the last batch is short)
 * @param sampler DDPM, DDIM or DPM-Solver++(2M)
 * @param steps sampler steps (DDPM uses all T when steps = T)
 * @param eta DDIM's η (0: deterministic)
 * @param spacing which steps of T are visited
 * @param classLabel the class of every sample, or null to cycle through the classes (0, 1, …);
 *     ignored by an unconditional model
 * @param guidance classifier-free guidance scale w (Ho &amp; Salimans 2022); 1 = plain conditional
 * @param seed batch b is drawn with seed + b
 */
public record GenerateConfig(int count, int batchSize, Sampler sampler, int steps, double eta,
        TimestepSpacing spacing, Integer classLabel, double guidance, long seed) {
    public GenerateConfig {
        if (count <= 0) {
            throw new IllegalArgumentException("count must be > 0, got " + count);
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be > 0, got " + batchSize);
        }
        Objects.requireNonNull(sampler, "sampler");
        Objects.requireNonNull(spacing, "spacing");
        if (classLabel != null && classLabel < 0) {
            throw new IllegalArgumentException("class must be >= 0, got " + classLabel);
        }
    }
}
