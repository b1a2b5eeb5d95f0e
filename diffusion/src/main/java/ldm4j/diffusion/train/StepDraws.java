package ldm4j.diffusion.train;

import java.util.SplittableRandom;

/**
 * The random draws of one training step: t ~ U{0, …, T−1}, ε ~ N(0, I) and the label dropout
 * (Ho et al. 2020, Algorithm 1; Ho &amp; Salimans 2022, Algorithm 1).
 *
 * <p>They come from a generator seeded by (run seed, step index) alone, so the trainer's random
 * state is its step count: a run resumed at step k draws exactly what the uninterrupted run drew
 * at step k, and nothing but the step needs saving.
 *
 * @param t one step index per sample
 * @param eps N(0, 1) noise, the batch's N·C·H·W values in order
 * @param labels the labels after dropout (dropped ones are the null class), or null when unconditional
 * @param dropped how many labels were replaced by the null class
 */
public record StepDraws(long[] t, float[] eps, int[] labels, int dropped) {
    /**
     * Draws step {@code step} of the run seeded {@code seed}.
     *
     * @param n batch size
     * @param elements C·H·W of one sample
     * @param timesteps T
     * @param labels the batch's labels, or null for an unconditional model
     * @param dropout probability of replacing each label with {@code nullClass}
     * @param nullClass the null label (numClasses)
     */
    public static StepDraws draw(long seed, long step, int n, int elements, int timesteps, int[] labels,
            double dropout, int nullClass) {
        SplittableRandom rng = new SplittableRandom(mix(seed, step));
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = rng.nextInt(timesteps);
        }
        float[] eps = new float[n * elements];
        for (int i = 0; i < eps.length; i++) {
            eps[i] = (float) rng.nextGaussian();
        }
        int[] out = null;
        int dropped = 0;
        if (labels != null) {
            out = new int[n];
            for (int i = 0; i < n; i++) {
                boolean drop = rng.nextDouble() < dropout;
                out[i] = drop ? nullClass : labels[i];
                dropped += drop ? 1 : 0;
            }
        }
        return new StepDraws(t, eps, out, dropped);
    }

    /**
     * A seed for (seed, step): the step goes through Stafford's mix13 first, so nearby steps give
     * unrelated streams (SplittableRandom(s) and SplittableRandom(s + γ) would share all but one value).
     */
    static long mix(long seed, long step) {
        long z = step * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return seed ^ z ^ (z >>> 31);
    }
}
