package ldm4j.pipeline.eval;

import java.nio.file.Path;
import java.util.Map;
import ldm4j.core.InputException;
import ldm4j.core.io.Checkpoint;
import ldm4j.core.io.Checkpoints;

/**
 * What training a classifier gave, as its checkpoint records it.
 *
 * @param directory the classifier folder ({@code train-log.csv} and {@code checkpoint/})
 * @param testAccuracy fraction of the test split classified correctly, in [0, 1]
 * @param steps optimizer steps applied
 * @param skippedSteps steps skipped for non-finite gradients
 * @param trainSeconds wall time of the training steps (evaluation excluded)
 * @param imagesPerSecond training images per second over those steps
 */
public record ClassifierSummary(Path directory, double testAccuracy, long steps, long skippedSteps,
        double trainSeconds, double imagesPerSecond) {
    /** Metric key of the test accuracy in {@code checkpoint.json}. */
    public static final String TEST_ACCURACY = "test_accuracy";
    /** Metric key of the number of skipped steps. */
    public static final String SKIPPED_STEPS = "skipped_steps";
    /** Metric key of the training wall time. */
    public static final String TRAIN_SECONDS = "train_seconds";
    /** Metric key of the training throughput. */
    public static final String IMAGES_PER_SECOND = "train_images_per_second";

    /** The metrics map stored in the checkpoint. */
    Map<String, Double> metrics() {
        return Map.of(TEST_ACCURACY, testAccuracy, SKIPPED_STEPS, (double) skippedSteps, TRAIN_SECONDS, trainSeconds,
                IMAGES_PER_SECOND, imagesPerSecond);
    }

    /**
     * Reads the summary of the classifier in {@code directory} from its checkpoint sidecar.
     *
     * @throws InputException when there is no classifier checkpoint there or it lacks the metrics
     */
    public static ClassifierSummary read(Path directory) {
        Path ckpt = FeatureNetwork.checkpointDirectory(directory);
        Checkpoint info = Checkpoints.readInfo(ckpt, ClassifierTrainer.KIND);
        Map<String, Double> m = info.metrics();
        if (!m.containsKey(TEST_ACCURACY)) {
            throw InputException.inFile(ckpt.resolve(Checkpoints.SIDECAR), "no " + TEST_ACCURACY + " metric");
        }
        return new ClassifierSummary(directory, m.get(TEST_ACCURACY), info.step(),
                m.getOrDefault(SKIPPED_STEPS, 0.0).longValue(), m.getOrDefault(TRAIN_SECONDS, Double.NaN),
                m.getOrDefault(IMAGES_PER_SECOND, Double.NaN));
    }
}
