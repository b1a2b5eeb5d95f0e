package ldm4j.pipeline.stage;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import ldm4j.core.data.Dataset;
import ldm4j.core.data.DatasetInfo;
import ldm4j.core.data.UInt8Images;
import ldm4j.pipeline.SampleFiles;
import ldm4j.pipeline.eval.ClassifierConfig;
import ldm4j.pipeline.eval.ClassifierTrainingConfig;
import ldm4j.pipeline.eval.FeatureNetwork;
import ldm4j.pipeline.eval.FeatureNetworks;
import ldm4j.pipeline.eval.SampleEvaluator;
import ldm4j.pipeline.eval.SampleMetrics;

/**
 * Scores sets of generated images against a dataset's test split, all in the feature space of one
 * network (FD, precision/recall, class accuracy, unplaceable share, sharpness), so every number of a
 * run, or of an ablation that shares the network, is comparable.
 */
public final class EvalStage {
    private EvalStage() {}

    /** Where the feature network comes from. */
    public sealed interface Features permits Cached, Folder {}

    /**
     * The dataset's cached network trained for {@code steps}, trained and cached first when absent.
     *
     * @param steps the classifier's training steps (the same number gives the same cached network)
     */
    public record Cached(long steps) implements Features {
        public Cached {
            if (steps <= 0) {
                throw new IllegalArgumentException("classifier steps must be > 0, got " + steps);
            }
        }
    }

    /** A {@code train-classifier --out} folder. */
    public record Folder(Path dir) implements Features {}

    /**
     * One set of samples to score.
     *
     * @param key its name in the output ({@code ldm}, {@code vae_prior})
     * @param images the samples
     * @param requested the class each was asked to be, or null (no class accuracy)
     */
    public record Samples(String key, UInt8Images images, int[] requested) {}

    /**
     * Test images and one autoencoder's reconstructions of them, scored by rFD.
     *
     * @param key its name in the output ({@code autoencoder}, {@code baseline})
     */
    public record Reconstructed(String key, UInt8Images originals, UInt8Images reconstructions) {}

    /**
     * What was scored.
     *
     * @param featureNetwork the network's checkpoint folder
     * @param testAccuracy its accuracy on the test split
     * @param metrics each set's scores, by key, in the order given
     * @param reconstructionFd each autoencoder's rFD ({@link SampleEvaluator#reconstructionFd}), by key
     */
    public record Output(Path featureNetwork, double testAccuracy, Map<String, SampleMetrics> metrics,
            Map<String, Double> reconstructionFd) {
        /** Samples only, no reconstructions. */
        public Output(Path featureNetwork, double testAccuracy, Map<String, SampleMetrics> metrics) {
            this(featureNetwork, testAccuracy, metrics, Map.of());
        }
    }

    /**
     * Reads the samples a sample stage wrote in {@code dir} ({@link SampleFiles#SAMPLES}, and
     * {@link SampleFiles#LABELS} when there is one) at {@code info}'s image shape.
     */
    public static Samples read(String key, Path dir, DatasetInfo info) {
        Path labels = dir.resolve(SampleFiles.LABELS);
        return read(key, dir.resolve(SampleFiles.SAMPLES), Files.exists(labels) ? labels : null, info);
    }

    /**
     * Reads a samples file, and the requested classes from {@code labels}.
     *
     * @param labels an int32 .npy of the classes asked for, one per sample, or null for none
     */
    public static Samples read(String key, Path samples, Path labels, DatasetInfo info) {
        UInt8Images images = SampleFiles.read(samples, info.channels(), info.height(), info.width());
        int[] requested = labels != null ? SampleFiles.readLabels(labels, images.count()) : null;
        return new Samples(key, images, requested);
    }

    /**
     * Opens the feature network and scores every set.
     *
     * @param notes told, in words, when a network must be trained first (a long wait)
     */
    public static Output run(Dataset data, Features features, List<Samples> samples, Device device,
            Consumer<String> notes) throws IOException {
        return run(data, features, samples, List.of(), device, notes);
    }

    /** {@link #run(Dataset, Features, List, Device, Consumer)}, and the rFD of each reconstructed set. */
    public static Output run(Dataset data, Features features, List<Samples> samples, List<Reconstructed> reconstructed,
            Device device, Consumer<String> notes) throws IOException {
        try (FeatureNetwork network = open(data, features, device, notes)) {
            Output sampled = score(network, data, samples);
            SampleEvaluator evaluator = new SampleEvaluator(network, data);
            Map<String, Double> rfd = new LinkedHashMap<>();
            for (Reconstructed r : reconstructed) {
                rfd.put(r.key(), evaluator.reconstructionFd(r.originals(), r.reconstructions()));
            }
            return new Output(sampled.featureNetwork(), sampled.testAccuracy(), sampled.metrics(), rfd);
        }
    }

    /** Scores every set with a network that is already open (one an ablation shares across its runs). */
    public static Output score(FeatureNetwork network, Dataset data, List<Samples> samples) {
        SampleEvaluator evaluator = new SampleEvaluator(network, data);
        Map<String, SampleMetrics> metrics = new LinkedHashMap<>();
        for (Samples s : samples) {
            metrics.put(s.key(), evaluator.evaluate(s.images(), s.requested()));
        }
        return new Output(network.checkpoint(), network.testAccuracy(), metrics);
    }

    /** The feature network {@code features} names, trained first when it is a cached one not yet there. */
    public static FeatureNetwork open(Dataset data, Features features, Device device, Consumer<String> notes)
            throws IOException {
        if (features instanceof Folder f) {
            return FeatureNetwork.load(f.dir(), device);
        }
        long steps = ((Cached) features).steps();
        FeatureNetworks cache = FeatureNetworks.atDefaultLocation();
        ClassifierConfig model = ClassifierConfig.forData(data.info());
        ClassifierTrainingConfig training = ClassifierTrainingConfig.defaults().withSteps(steps);
        if (!cache.isCached(data, model, training)) {
            notes.accept("no feature network for " + data.info().name() + " is cached yet: training one first ("
                    + steps + " steps)");
        }
        return cache.open(data, model, training, device);
    }
}
