package ldm4j.core.data;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A seeded train/test split that keeps each class's share: within every class, round(n_c/7) of
 * the images (chosen by a seeded shuffle) go to test. Unlabelled data counts as one class.
 */
public final class StratifiedSplit {
    /** Fraction of each class that goes to test. */
    public static final double TEST_FRACTION = 1.0 / 7.0;
    /** Seed used for every cache, so a dataset's split never depends on who prepared it. */
    public static final long DEFAULT_SEED = 20221220L;

    private StratifiedSplit() {}

    /**
     * Marks the test images.
     *
     * @param labels one label per image, or {@code null} when unlabelled
     * @param count number of images
     * @return one byte per image: 1 = test, 0 = train
     */
    public static byte[] testMask(int[] labels, int count, long seed) {
        TreeMap<Integer, int[]> byClass = new TreeMap<>();
        if (labels == null) {
            int[] all = new int[count];
            Arrays.setAll(all, i -> i);
            byClass.put(-1, all);
        } else {
            TreeMap<Integer, Integer> counts = new TreeMap<>();
            for (int l : labels) {
                counts.merge(l, 1, Integer::sum);
            }
            counts.forEach((l, c) -> byClass.put(l, new int[c]));
            TreeMap<Integer, Integer> filled = new TreeMap<>();
            for (int i = 0; i < count; i++) {
                int k = filled.merge(labels[i], 1, Integer::sum) - 1;
                byClass.get(labels[i])[k] = i;
            }
        }
        byte[] mask = new byte[count];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int[] members : byClass.values()) {
            Shuffle.shuffle(members, rng);
            int test = (int) Math.round(members.length * TEST_FRACTION);
            for (int k = 0; k < test; k++) {
                mask[members[k]] = 1;
            }
        }
        return mask;
    }
}
