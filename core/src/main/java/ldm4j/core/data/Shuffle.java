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
        // Not seed + GOLDEN·(epoch+1): GOLDEN is SplittableRandom's own increment, so epoch e+1's
        // stream would be epoch e's shifted by one draw. A mixed (seed, epoch) pair gives unrelated orders.
        return permutation(n, mix64(seed ^ mix64(epoch + GOLDEN)));
    }

    /** Stafford's variant 13 of the MurmurHash3 finaliser: a bijection that scatters nearby inputs. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
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
