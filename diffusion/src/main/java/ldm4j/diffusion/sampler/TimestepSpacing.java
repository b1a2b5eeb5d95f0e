package ldm4j.diffusion.sampler;

import ldm4j.core.io.ConfigEnum;

/**
 * Which n of the T training steps a sampler visits, in decreasing order.
 *
 * <p>For T = 1000 and n = 20: LEADING gives 950, 900, …, 0; TRAILING gives 999, 949, …, 49. Only
 * TRAILING starts at the last step T − 1, where x_T ~ N(0, I) is the right start (Lin et al. 2024,
 * "Common Diffusion Noise Schedules and Sample Steps are Flawed", Table 2).
 */
public enum TimestepSpacing implements ConfigEnum {
    /** t = range(0, T, T/n), reversed (Song et al. 2021, DDIM); named "uniform" there. */
    LEADING("uniform"),
    /** t = round(arange(T, 0, −T/n)) − 1 (Lin et al. 2024). */
    TRAILING("trailing");

    private final String id;

    TimestepSpacing(String id) {
        this.id = id;
    }

    /** The name used in configs and on the command line. */
    @Override
    public String id() {
        return id;
    }

    /** The n steps to visit out of {@code totalSteps} = T, largest first. */
    public int[] timesteps(int totalSteps, int n) {
        if (n < 1 || n > totalSteps) {
            throw new IllegalArgumentException("sampling steps must be in [1, " + totalSteps + "], got " + n);
        }
        int[] ts = new int[n];
        switch (this) {
            case LEADING -> {
                int stride = totalSteps / n;
                for (int i = 0; i < n; i++) {
                    ts[i] = (n - 1 - i) * stride;
                }
            }
            case TRAILING -> {
                double stride = (double) totalSteps / n;
                for (int i = 0; i < n; i++) {
                    // rint rounds half to even, as numpy.round does
                    ts[i] = (int) Math.rint(totalSteps - i * stride) - 1;
                }
            }
        }
        return ts;
    }

    /** Parses "uniform" (alias "leading") or "trailing" (case-insensitive). */
    public static TimestepSpacing fromString(String name) {
        return ConfigEnum.parse(TimestepSpacing.class, name);
    }
}
