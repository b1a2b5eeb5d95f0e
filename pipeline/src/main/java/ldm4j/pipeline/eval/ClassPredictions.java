package ldm4j.pipeline.eval;

import java.util.Arrays;

/**
 * What the feature network's classifier makes of each image: its most probable class and that
 * class's softmax probability.
 *
 * <p>An image whose top probability is below {@value #PLACED_FROM} is one the classifier cannot
 * place: no class gets even half of its belief. On generated samples these are mostly the noise
 * blobs that look like no garment, which FD and class accuracy blur together with wrong-class
 * samples (issue 13 counts them as "unplaceable").
 *
 * @param classes arg-max class of each image
 * @param topProbability the softmax probability of that class, in [1/numClasses, 1]
 */
public record ClassPredictions(int[] classes, float[] topProbability) {
    /** Lowest top-class probability of an image the classifier places. */
    public static final double PLACED_FROM = 0.5;

    /** Validates the lengths and probabilities and takes defensive copies. */
    public ClassPredictions {
        if (classes.length != topProbability.length) {
            throw new IllegalArgumentException("need one probability per class, got " + topProbability.length
                    + " for " + classes.length);
        }
        for (int i = 0; i < topProbability.length; i++) {
            if (!(topProbability[i] >= 0 && topProbability[i] <= 1)) {
                throw new IllegalArgumentException("probability at index " + i + " is " + topProbability[i]
                        + ", outside [0, 1]");
            }
        }
        classes = classes.clone();
        topProbability = topProbability.clone();
    }

    /** Number of images. */
    public int count() {
        return classes.length;
    }

    /** True when the classifier gives image {@code i}'s top class at least {@value #PLACED_FROM}. */
    public boolean placed(int i) {
        return topProbability[i] >= PLACED_FROM;
    }

    /** Images whose top class has a probability below {@value #PLACED_FROM}. */
    public int unplaceable() {
        int n = 0;
        for (int i = 0; i < classes.length; i++) {
            if (!placed(i)) {
                n++;
            }
        }
        return n;
    }

    /** {@link #unplaceable()} over all images; NaN when there are none. */
    public double unplaceableShare() {
        return classes.length == 0 ? Double.NaN : (double) unplaceable() / classes.length;
    }

    @Override
    public int[] classes() {
        return classes.clone();
    }

    @Override
    public float[] topProbability() {
        return topProbability.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassPredictions p && Arrays.equals(classes, p.classes)
                && Arrays.equals(topProbability, p.topProbability);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(classes) + Arrays.hashCode(topProbability);
    }

    @Override
    public String toString() {
        return "ClassPredictions[" + classes.length + " images, " + unplaceable() + " unplaceable]";
    }
}
