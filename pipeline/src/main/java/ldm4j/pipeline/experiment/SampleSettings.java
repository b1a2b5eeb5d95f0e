package ldm4j.pipeline.experiment;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import ldm4j.core.io.ConfigEnum;
import ldm4j.diffusion.sampler.Sampler;
import ldm4j.diffusion.sampler.TimestepSpacing;

/**
 * What the trained pair draws for the run's grid and evaluation.
 *
 * @param count samples in all (classes cycle 0, 1, … for a class-conditional model)
 * @param batchSize samples per sampler call
 * @param sampler ddpm, ddim or dpm++2m
 * @param steps sampler steps
 * @param eta DDIM's η
 * @param spacing uniform or trailing
 * @param guidance classifier-free guidance scale w
 * @param gridCount samples shown in {@code grid.png}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SampleSettings(int count, int batchSize, Sampler sampler, int steps, double eta, TimestepSpacing spacing,
        double guidance, int gridCount) {
    public SampleSettings {
        if (count <= 0 || batchSize <= 0 || steps <= 0 || gridCount <= 0) {
            throw new IllegalArgumentException("count, batch_size, steps and grid_count must be > 0");
        }
        if (sampler == null || spacing == null) {
            throw new IllegalArgumentException("sampler must be one of " + ConfigEnum.ids(Sampler.class)
                    + "; spacing one of " + ConfigEnum.ids(TimestepSpacing.class));
        }
        if (!(eta >= 0) || !(guidance >= 0)) {
            throw new IllegalArgumentException("eta and guidance must be >= 0");
        }
    }

    static SampleSettings defaults() {
        return new SampleSettings(1000, 100, Sampler.DDIM, 50, 0.0, TimestepSpacing.LEADING, 2.0, 100);
    }
}
