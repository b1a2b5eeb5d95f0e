package ldm4j.pipeline.eval;

import java.util.Arrays;

/**
 * How often class-conditional samples are recognised as the class they were asked for: the
 * feature network's classifier predicts a class for each sample, and a sample counts as correct
 * when the prediction equals the requested label (the "classification accuracy score" idea of
 * Ravuri &amp; Vinyals 2019, here with a classifier trained on real data).
 *
 * <p>The per-class breakdown is grouped by <em>requested</em> class, so
 * {@link #accuracyOf(int)} is the recall of that class among the samples asked to be it.
 *
 * @param correctPerClass samples of each requested class that were predicted as it
 * @param requestedPerClass samples requested of each class
 */
public record ClassAccuracy(int[] correctPerClass, int[] requestedPerClass) {

    /** Validates the counts and takes defensive copies. */
    public ClassAccuracy {
        if (correctPerClass.length != requestedPerClass.length || correctPerClass.length == 0) {
            throw new IllegalArgumentException("need one correct and one requested count per class, got "
                    + correctPerClass.length + " and " + requestedPerClass.length);
        }
        for (int k = 0; k < correctPerClass.length; k++) {
            if (correctPerClass[k] < 0 || correctPerClass[k] > requestedPerClass[k]) {
                throw new IllegalArgumentException("class " + k + ": correct " + correctPerClass[k]
                        + " must be in [0, requested " + requestedPerClass[k] + "]");
            }
        }
        correctPerClass = correctPerClass.clone();
        requestedPerClass = requestedPerClass.clone();
    }

    /**
     * Compares requested with predicted labels, both in [0, numClasses).
     *
     * @throws IllegalArgumentException when the arrays differ in length, are empty, or hold a
     *     label out of range (its index is named)
     */
    public static ClassAccuracy of(int[] requested, int[] predicted, int numClasses) {
        if (requested.length != predicted.length || requested.length == 0) {
            throw new IllegalArgumentException("need as many predictions as requests (> 0), got "
                    + predicted.length + " predictions for " + requested.length + " requests");
        }
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be >= 1, got " + numClasses);
        }
        int[] correct = new int[numClasses];
        int[] total = new int[numClasses];
        for (int i = 0; i < requested.length; i++) {
            checkLabel(requested[i], numClasses, "requested", i);
            checkLabel(predicted[i], numClasses, "predicted", i);
            total[requested[i]]++;
            if (requested[i] == predicted[i]) {
                correct[requested[i]]++;
            }
        }
        return new ClassAccuracy(correct, total);
    }

    /** Number of classes. */
    public int numClasses() {
        return correctPerClass.length;
    }

    /** Samples whose prediction matched the request. */
    public int correct() {
        return Arrays.stream(correctPerClass).sum();
    }

    /** All samples. */
    public int total() {
        return Arrays.stream(requestedPerClass).sum();
    }

    /** correct / total over all samples (NaN if there were none). */
    public double accuracy() {
        return (double) correct() / total();
    }

    /** Accuracy among the samples requested as {@code cls}; NaN when none were requested. */
    public double accuracyOf(int cls) {
        return requestedPerClass[cls] == 0 ? Double.NaN : (double) correctPerClass[cls] / requestedPerClass[cls];
    }

    /** Per-class accuracies, index = requested class, NaN for classes never requested. */
    public double[] perClassAccuracy() {
        double[] out = new double[numClasses()];
        for (int k = 0; k < out.length; k++) {
            out[k] = accuracyOf(k);
        }
        return out;
    }

    @Override
    public int[] correctPerClass() {
        return correctPerClass.clone();
    }

    @Override
    public int[] requestedPerClass() {
        return requestedPerClass.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassAccuracy a
                && Arrays.equals(correctPerClass, a.correctPerClass)
                && Arrays.equals(requestedPerClass, a.requestedPerClass);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(correctPerClass) + Arrays.hashCode(requestedPerClass);
    }

    @Override
    public String toString() {
        return "ClassAccuracy[" + correct() + "/" + total() + ", perClass=" + Arrays.toString(perClassAccuracy()) + "]";
    }

    private static void checkLabel(int label, int numClasses, String what, int index) {
        if (label < 0 || label >= numClasses) {
            throw new IllegalArgumentException(what + " label at index " + index + " is " + label
                    + ", outside [0, " + numClasses + ")");
        }
    }
}
