package ldm4j.pipeline.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import ldm4j.core.InputException;
import ldm4j.core.data.Dataset;
import ldm4j.core.data.DataView;
import ldm4j.core.data.DatasetInfo;
import ldm4j.core.data.UInt8Images;
import ldm4j.core.io.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores generated images against a dataset's test split with one feature network: Fréchet
 * distance with its 95% bootstrap interval ({@link FdBootstrap}), precision/recall (k = 3), class accuracy of conditional samples, the share of samples
 * the network cannot place in any class ({@link ClassPredictions}), and sharpness relative to real
 * images.
 *
 * <p>The test split's feature statistics (μ, Σ) are computed once per network and dataset and
 * cached as JSON next to the network ({@code reference-test-<images sha256>.json}), so every FD in
 * a report shares the same reference.
 *
 * <p>Precision/recall cost O(N²) distances, so they compare equal-sized sets (the paper's setting):
 * min(samples, test images, {@value #MAX_REFERENCE_IMAGES}) on each side, the samples taken from the
 * front, the real images a seeded random subset of the test split. Sharpness uses the same subset of
 * up to {@value #MAX_REFERENCE_IMAGES} test images.
 */
public final class SampleEvaluator {
    /** Most real (and generated) images in precision/recall and the sharpness reference. */
    public static final int MAX_REFERENCE_IMAGES = 10_000;
    /** Seed of the test subset, fixed so every evaluation of the dataset uses the same images. */
    public static final long REFERENCE_SEED = 0;

    private static final Logger LOG = LoggerFactory.getLogger(SampleEvaluator.class);

    private final FeatureNetwork network;
    private final Dataset data;

    /**
     * @param network the feature network, trained on {@code data}
     * @param data the reference dataset; its test split is the reference
     * @throws InputException when the network was trained on other data
     */
    public SampleEvaluator(FeatureNetwork network, Dataset data) {
        this.network = Objects.requireNonNull(network, "network");
        this.data = Objects.requireNonNull(data, "data");
        network.requireSameData(data.info());
    }

    /**
     * Scores {@code samples}.
     *
     * @param samples generated images with the dataset's C × H × W
     * @param requestedClasses the class each sample was asked to be, or null (no class accuracy);
     *     ignored for an unlabelled dataset or when it holds -1 (unconditional samples)
     * @throws InputException when the images' shape is not the dataset's, or the classes do not fit
     */
    public SampleMetrics evaluate(UInt8Images samples, int[] requestedClasses) {
        DatasetInfo info = data.info();
        if (samples.channels() != info.channels() || samples.height() != info.height()
                || samples.width() != info.width()) {
            throw new InputException("samples are " + samples.channels() + "×" + samples.height() + "×"
                    + samples.width() + " but " + info.name() + " images are " + info.channels() + "×"
                    + info.height() + "×" + info.width());
        }
        // One pass gives the features and the classes with their probabilities.
        ClassifierInference.Outputs out = network.featuresAndClasses(samples);
        double[][] generated = out.features();
        GaussianStats reference = referenceStats();
        double fd = Double.NaN;
        FdBootstrap interval = null;
        if (generated.length >= 2) {
            fd = FrechetDistance.between(GaussianStats.of(generated), reference);
            interval = FdBootstrap.of95(generated, reference);
        }

        DataView test = data.test();
        UInt8Images real = test.sample(Math.min(test.size(), MAX_REFERENCE_IMAGES), REFERENCE_SEED);
        int n = Math.min(samples.count(), real.count());
        double precision = Double.NaN;
        double recall = Double.NaN;
        if (n > PrecisionRecall.DEFAULT_K) { // k neighbours need more than k points
            double[][] realFeatures = network.features(Arrays.copyOf(real.pixels(), n * real.imageSize()), n);
            PrecisionRecall pr = PrecisionRecall.of(realFeatures, Arrays.copyOf(generated, n));
            precision = pr.precision();
            recall = pr.recall();
        }

        Sharpness sharpness = Sharpness.of(samples.pixels(), samples.count(), real.pixels(), real.count(),
                info.channels(), info.height(), info.width());
        double relative = sharpness.real() > 0 ? sharpness.relative() : Double.NaN;

        return new SampleMetrics(samples.count(), info.name(), network.checkpoint().toString(), reference.count(),
                fd, interval == null ? null : interval.low(), interval == null ? null : interval.high(),
                precision, recall, PrecisionRecall.DEFAULT_K, n > PrecisionRecall.DEFAULT_K ? n : 0,
                classAccuracy(samples, requestedClasses, out.predictions()), out.classes().unplaceableShare(),
                relative, sharpness.samples(), sharpness.real());
    }

    /**
     * rFD: the Fréchet distance between the features of {@code reconstructions} and of the
     * {@code originals} they were made from (the same images, in order), so it measures what the
     * autoencoder loses in the feature network's eyes and is 0 for a perfect one. Both sides have
     * the same N, so it shares its small-sample bias with neither test-split FD.
     *
     * @throws InputException when the two sets differ in count or shape
     */
    public double reconstructionFd(UInt8Images originals, UInt8Images reconstructions) {
        if (originals.count() != reconstructions.count() || originals.imageSize() != reconstructions.imageSize()) {
            throw new InputException(reconstructions.count() + " reconstructions of " + reconstructions.imageSize()
                    + " pixels for " + originals.count() + " originals of " + originals.imageSize());
        }
        if (originals.count() < 2) {
            return Double.NaN;
        }
        return FrechetDistance.between(network.features(originals), network.features(reconstructions));
    }

    private double classAccuracy(UInt8Images samples, int[] requested, int[] predicted) {
        DatasetInfo info = data.info();
        if (requested == null || !info.labelled()) {
            return Double.NaN;
        }
        if (requested.length != samples.count()) {
            throw new InputException(requested.length + " classes for " + samples.count() + " samples");
        }
        if (Arrays.stream(requested).anyMatch(c -> c < 0)) {
            return Double.NaN; // unconditional samples (label -1) have no class to hit
        }
        for (int i = 0; i < requested.length; i++) {
            if (requested[i] >= info.numClasses()) {
                throw new InputException("sample " + i + " asks for class " + requested[i] + " but " + info.name()
                        + " has " + info.numClasses() + " classes (0.." + (info.numClasses() - 1) + ")");
            }
        }
        return ClassAccuracy.of(requested, predicted, info.numClasses()).accuracy();
    }

    /**
     * The feature statistics of the whole test split, read from the cache next to the network or
     * computed and cached (atomically; a cache that cannot be written only costs time next run).
     */
    public GaussianStats referenceStats() {
        Path file = referenceStatsFile();
        int testSize = data.test().size();
        if (Files.isRegularFile(file)) {
            try {
                GaussianStats cached = Json.read(file, GaussianStats.class);
                if (cached.count() == testSize && cached.dimension() == network.featureDim()) {
                    return cached;
                }
                LOG.info("{} does not match the test split ({} images); recomputing it", file, testSize);
            } catch (InputException | IllegalArgumentException e) {
                LOG.warn("ignoring unreadable reference statistics {}: {}", file, e.getMessage());
            }
        }
        GaussianStats stats = GaussianStats.of(network.features(data.test().first(testSize)));
        try {
            Json.write(file, stats);
        } catch (IOException e) {
            LOG.warn("could not cache the reference statistics in {}: {}", file, e.getMessage());
        }
        return stats;
    }

    /** Where the test split's statistics are cached: next to the network, keyed by the images' hash. */
    public Path referenceStatsFile() {
        String hash = data.info().cacheHash();
        String key = hash == null ? "unknown" : hash.substring(0, Math.min(16, hash.length()));
        return network.checkpoint().getParent().resolve("reference-test-" + key + ".json");
    }

    /** The feature network the scores come from. */
    public FeatureNetwork network() {
        return network;
    }
}
