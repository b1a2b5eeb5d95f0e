package ldm4j.pipeline.eval;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import ldm4j.core.InputException;
import ldm4j.core.data.DatasetInfo;
import ldm4j.core.data.UInt8Images;
import ldm4j.core.io.Checkpoint;
import ldm4j.core.io.Checkpoints;
import ldm4j.core.io.InputFiles;

/**
 * A trained {@link FeatureClassifier}, loaded for evaluation: penultimate features for Fréchet
 * distance and precision/recall, and class predictions for the accuracy of conditional samples.
 *
 * <p>It knows the dataset it was trained on ({@link #trainedOn()}) and refuses images of another
 * shape. Inference runs in batches, each in its own NDManager scope, in inference mode (BatchNorm
 * on running statistics), so the same images give the same numbers on every call. Close it to free
 * the weights.
 */
public final class FeatureNetwork implements AutoCloseable {
    /** Images per forward pass. */
    public static final int BATCH_SIZE = 256;

    private final Path checkpoint;
    private final ClassifierRun run;
    private final double testAccuracy;
    private final NDManager root;
    private final FeatureClassifier net;

    private FeatureNetwork(Path checkpoint, ClassifierRun run, double testAccuracy, NDManager root,
            FeatureClassifier net) {
        this.checkpoint = checkpoint;
        this.run = run;
        this.testAccuracy = testAccuracy;
        this.root = root;
        this.net = net;
    }

    /**
     * Loads a classifier written by {@link ClassifierTrainer}.
     *
     * @param dir the classifier folder (holding {@code checkpoint/}) or the checkpoint folder itself
     * @param device where to run it
     * @throws InputException naming the file for a missing folder, a checkpoint of another kind, a
     *     corrupt sidecar or tensor file, or tensors that do not fit the stored config
     */
    public static FeatureNetwork load(Path dir, Device device) {
        InputFiles.requireDirectory(dir, "a train-classifier output or checkpoint directory");
        Path ckpt = checkpointDirectory(dir);
        Checkpoint info = Checkpoints.readInfo(ckpt, ClassifierTrainer.KIND);
        ClassifierRun run = info.config(ClassifierRun.class, ckpt.resolve(Checkpoints.SIDECAR));
        if (run.model() == null || run.training() == null || run.data() == null) {
            throw InputException.inFile(ckpt.resolve(Checkpoints.SIDECAR),
                    "config must hold 'model', 'training' and 'data'");
        }
        DatasetFingerprint data = run.data();
        NDManager root = NDManager.newBaseManager(device);
        try {
            FeatureClassifier net = new FeatureClassifier(run.model());
            net.initialize(root, DataType.FLOAT32, new Shape(1, data.channels(), data.height(), data.width()));
            Checkpoints.loadInto(ckpt, Checkpoints.MODEL, net);
            double accuracy = info.metrics().getOrDefault(ClassifierSummary.TEST_ACCURACY, Double.NaN);
            return new FeatureNetwork(ckpt, run, accuracy, root, net);
        } catch (RuntimeException e) {
            root.close();
            throw e;
        }
    }

    /** The checkpoint folder of a classifier folder: {@code dir/checkpoint}, or {@code dir} when it is one. */
    public static Path checkpointDirectory(Path dir) {
        return Files.isRegularFile(dir.resolve(Checkpoints.SIDECAR)) ? dir : dir.resolve(ClassifierTrainer.CHECKPOINT);
    }

    /** The checkpoint folder it was loaded from. */
    public Path checkpoint() {
        return checkpoint;
    }

    /** Network, training recipe and data, as stored in the checkpoint. */
    public ClassifierRun run() {
        return run;
    }

    /** The network's shape. */
    public ClassifierConfig config() {
        return run.model();
    }

    /** The dataset it was trained on. */
    public DatasetFingerprint trainedOn() {
        return run.data();
    }

    /** Test accuracy measured after training, NaN when the checkpoint does not say. */
    public double testAccuracy() {
        return testAccuracy;
    }

    /** Length of a feature vector. */
    public int featureDim() {
        return run.model().featureDim();
    }

    /**
     * Penultimate features of every image.
     *
     * @return N rows of {@link #featureDim()} values
     * @throws InputException when the images' C×H×W is not the training data's
     */
    public double[][] features(UInt8Images images) {
        requireFits(images.channels(), images.height(), images.width());
        return infer(images.pixels(), images.count(), true).features();
    }

    /**
     * Penultimate features of {@code count} images laid out N×C×H×W in {@code pixels}, with the
     * training data's C, H and W.
     */
    public double[][] features(byte[] pixels, int count) {
        return infer(requireLength(pixels, count), count, true).features();
    }

    /** Predicted class of every image. */
    public int[] predict(UInt8Images images) {
        requireFits(images.channels(), images.height(), images.width());
        return infer(images.pixels(), images.count(), false).predictions();
    }

    /** Predicted classes of {@code count} N×C×H×W images with the training data's C, H and W. */
    public int[] predict(byte[] pixels, int count) {
        return infer(requireLength(pixels, count), count, false).predictions();
    }

    /**
     * Predicted class of every image with its softmax probability, which says whether the network
     * can place the image at all ({@link ClassPredictions#unplaceableShare()}).
     *
     * @throws InputException when the images' C×H×W is not the training data's
     */
    public ClassPredictions classify(UInt8Images images) {
        requireFits(images.channels(), images.height(), images.width());
        return infer(images.pixels(), images.count(), false).classes();
    }

    /** Features, classes and their probabilities in one pass, for {@link SampleEvaluator}. */
    ClassifierInference.Outputs featuresAndClasses(UInt8Images images) {
        requireFits(images.channels(), images.height(), images.width());
        return infer(images.pixels(), images.count(), true);
    }

    /**
     * Refuses images of another shape than the training data's.
     *
     * @throws InputException naming both shapes
     */
    public void requireFits(int channels, int height, int width) {
        DatasetFingerprint d = run.data();
        if (!d.fits(channels, height, width)) {
            throw new InputException("images are " + channels + "×" + height + "×" + width
                    + " but the feature network in " + checkpoint + " was trained on " + d.name() + " images of "
                    + d.shapeText() + "; evaluate against a feature network of the same dataset");
        }
    }

    /**
     * Refuses a dataset other than the one the network was trained on (by the cache hash of its
     * images), so real and generated features come from a network that saw the same data.
     */
    public void requireSameData(DatasetInfo info) {
        if (!run.data().sameData(info)) {
            throw new InputException("the feature network in " + checkpoint + " was trained on " + run.data().name()
                    + " (images sha256 " + abbreviate(run.data().cacheHash()) + "), not on " + info.name()
                    + " (sha256 " + abbreviate(info.cacheHash()) + ")");
        }
    }

    private ClassifierInference.Outputs infer(byte[] pixels, int count, boolean withFeatures) {
        DatasetFingerprint d = run.data();
        return ClassifierInference.run(net, root, pixels, count, d.channels(), d.height(), d.width(), BATCH_SIZE,
                withFeatures);
    }

    private byte[] requireLength(byte[] pixels, int count) {
        DatasetFingerprint d = run.data();
        long want = (long) count * d.channels() * d.height() * d.width();
        if (count < 0 || pixels.length != want) {
            throw new InputException(pixels.length + " bytes are not " + count + " images of " + d.shapeText()
                    + " (" + want + " bytes), the shape the feature network in " + checkpoint + " was trained on");
        }
        return pixels;
    }

    private static String abbreviate(String hash) {
        return hash == null || hash.length() <= 12 ? String.valueOf(hash) : hash.substring(0, 12);
    }

    @Override
    public void close() {
        root.close();
    }
}
