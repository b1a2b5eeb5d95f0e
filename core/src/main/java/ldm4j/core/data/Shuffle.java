package ldm4j.core.data;

import java.util.SplittableRandom;

/** Seeded permutations: the same seed (and epoch) always gives the same order, on every JVM. */
public final class Shuffle {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Shuffle() {}

    /** A Fisher–Yates permutation of 0..n-1 drawn from {@code seed}. */
    public static int[] permutation(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        shuffle(order, new SplittableRandom(seed));
        return order;
    }

    /** The permutation for one epoch; each epoch has its own order, fixed by (seed, epoch) alone. */
    public static int[] epochPermutation(int n, long seed, long epoch) {
        // SplittableRandom mixes its seed, so adjacent epochs give unrelated orders
        return permutation(n, seed + GOLDEN * (epoch + 1));
    }

    /** Shuffles {@code a} in place. */
    static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
