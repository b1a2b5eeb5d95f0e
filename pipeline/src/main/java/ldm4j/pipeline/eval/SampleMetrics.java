package ldm4j.pipeline.eval;

import java.util.Locale;

/**
 * How good a set of generated images is, as {@link SampleEvaluator} measures it. Serialises to
 * JSON with Jackson; a value that is not a finite number (say, FD of a single sample, or class
 * accuracy of unconditional samples) is stored as null, since JSON has no NaN or infinity.
 *
 * @param samples number of generated images scored
 * @param dataset the reference dataset's name or spec
 * @param featureNetwork the feature network's checkpoint folder
 * @param referenceImages test images behind the reference statistics of the FD
 * @param fd Fréchet distance between the samples' features and the test split's (lower is better)
 * @param fdLow lower end of FD's 95% bootstrap interval over the samples ({@link FdBootstrap})
 * @param fdHigh upper end of that interval
 * @param precision fraction of samples inside the real feature manifold (Kynkäänniemi et al. 2019)
 * @param recall fraction of real images inside the samples' feature manifold
 * @param k neighbourhood size of precision/recall
 * @param precisionRecallImages images on each side of precision/recall (samples and real)
 * @param classAccuracy fraction of samples the feature network classifies as the class requested,
 *     null without requested classes
 * @param unplaceableShare fraction of samples whose most probable class has a softmax probability
 *     below {@value ClassPredictions#PLACED_FROM} (lower is better; conditional or not)
 * @param sharpness the samples' Laplacian variance over the real images' (1: as sharp as real)
 * @param sharpnessSamples mean Laplacian variance of the samples (uint8 units)
 * @param sharpnessReal mean Laplacian variance of the real test images (uint8 units)
 */
public record SampleMetrics(
        int samples,
        String dataset,
        String featureNetwork,
        int referenceImages,
        Double fd,
        Double fdLow,
        Double fdHigh,
        Double precision,
        Double recall,
        int k,
        int precisionRecallImages,
        Double classAccuracy,
        Double unplaceableShare,
        Double sharpness,
        Double sharpnessSamples,
        Double sharpnessReal) {

    /** Turns NaN and ±∞ into null, so the JSON is valid and "not measured" reads as such. */
    public SampleMetrics {
        fd = finiteOrNull(fd);
        fdLow = finiteOrNull(fdLow);
        fdHigh = finiteOrNull(fdHigh);
        precision = finiteOrNull(precision);
        recall = finiteOrNull(recall);
        classAccuracy = finiteOrNull(classAccuracy);
        unplaceableShare = finiteOrNull(unplaceableShare);
        sharpness = finiteOrNull(sharpness);
        sharpnessSamples = finiteOrNull(sharpnessSamples);
        sharpnessReal = finiteOrNull(sharpnessReal);
    }

    private static Double finiteOrNull(Double x) {
        return x == null || !Double.isFinite(x) ? null : x;
    }

    /** The scores on a few lines for a terminal: "n/a" for what was not measured. */
    public String summary() {
        return String.format(Locale.ROOT, "%d samples against %s (%d test images)%n"
                + "FD %s (95%% interval %s–%s)  precision %s  recall %s (k = %d, %d images each)%n"
                + "class accuracy %s  unplaceable %s (top class p < %s)  sharpness %s of real", samples, dataset,
                referenceImages, number(fd, "%.3f"), number(fdLow, "%.2f"), number(fdHigh, "%.2f"), number(precision, "%.3f"), number(recall, "%.3f"), k,
                precisionRecallImages, number(classAccuracy, "%.3f"), number(unplaceableShare, "%.3f"),
                ClassPredictions.PLACED_FROM, number(sharpness, "%.3f"));
    }

    private static String number(Double x, String format) {
        return x == null ? "n/a" : String.format(Locale.ROOT, format, x);
    }
}
