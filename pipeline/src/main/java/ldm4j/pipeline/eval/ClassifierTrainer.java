package ldm4j.pipeline.eval;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import ldm4j.core.InputException;
import ldm4j.core.data.BatchIterator;
import ldm4j.core.data.DataView;
import ldm4j.core.data.Dataset;
import ldm4j.core.data.DatasetInfo;
import ldm4j.core.data.UInt8Images;
import ldm4j.core.engine.EngineSetup;
import ldm4j.core.io.Checkpoint;
import ldm4j.core.io.Checkpoints;
import ldm4j.core.io.Provenance;
import ldm4j.core.train.AdamW;
import ldm4j.core.train.AdamWConfig;
import ldm4j.core.train.GradNormClip;
import ldm4j.core.train.LrSchedule;
import ldm4j.core.train.NonFiniteGuard;
import ldm4j.core.train.StepStats;
import ldm4j.core.train.TrainLog;
import ldm4j.core.train.TrainStep;
import ldm4j.core.train.TrainingLoop;

/**
 * Trains a {@link FeatureClassifier} on a dataset's train split with softmax cross-entropy and
 * measures its accuracy on the test split.
 *
 * <p>The output folder:
 *
 * <pre>
 * DIR/
 *   train-log.csv          step, loss, accuracy (of the batch), lr, grad_norm, skipped, test_accuracy
 *   checkpoint/            {@link Checkpoints} layout, kind "classifier":
 *     checkpoint.json      config = {@link ClassifierRun}, step, metrics (test_accuracy, ...), provenance
 *     model.safetensors    the weights and BatchNorm running statistics
 * </pre>
 *
 * <p>Each step: a batch from the shuffled train split → {@link Augmentation} → forward and backward
 * under a GradientCollector → {@link TrainStep} (global-norm clip 1, non-finite guard, AdamW at a
 * warm-up + cosine rate). The checkpoint is written once, at the end: the network is a tool for
 * evaluation, quick to retrain, so it keeps no optimizer state to resume from.
 */
public final class ClassifierTrainer {
    /** Checkpoint kind of a feature classifier. */
    public static final String KIND = "classifier";
    /** Name of the checkpoint folder inside a classifier folder. */
    public static final String CHECKPOINT = "checkpoint";
    /** Name of the training log inside a classifier folder. */
    public static final String LOG = "train-log.csv";

    private static final List<String> COLUMNS =
            List.of("loss", "accuracy", "lr", "grad_norm", "skipped", ClassifierSummary.TEST_ACCURACY);
    private static final int EVAL_BATCH = 256;

    private ClassifierTrainer() {}

    /**
     * Trains a network of shape {@code model} on {@code data} following {@code training} and writes
     * it to {@code outDir} (replacing the checkpoint and log there).
     *
     * @throws InputException when the dataset is unlabelled, does not fit the model, or is too small
     *     for one batch
     */
    public static ClassifierSummary train(Dataset data, ClassifierConfig model, ClassifierTrainingConfig training,
            Device device, Path outDir) throws IOException {
        DatasetInfo info = data.info();
        checkFits(info, model, training);
        EngineSetup.seed(training.seed());
        try (NDManager root = NDManager.newBaseManager(device);
                TrainLog log = TrainLog.open(outDir.resolve(LOG), COLUMNS, 0)) {
            FeatureClassifier net = new FeatureClassifier(model);
            net.initialize(root, DataType.FLOAT32,
                    new Shape(training.batchSize(), info.channels(), info.height(), info.width()));
            Task task = new Task(data, root, net, training,
                    new ClassifierRun(model, training, DatasetFingerprint.of(info)), device, outDir);
            TrainingLoop.Cadence cadence = new TrainingLoop.Cadence(training.steps(),
                    Math.max(1, Math.min(20, training.steps() / 10)), 0, 0);
            TrainingLoop.run("train-classifier", root, task, cadence, 0, log);
            return task.summary;
        }
    }

    private static void checkFits(DatasetInfo info, ClassifierConfig model, ClassifierTrainingConfig training) {
        if (!info.labelled()) {
            throw new InputException("dataset " + info.name() + " has no class labels; "
                    + "the feature network is a classifier and needs labelled data");
        }
        if (info.channels() != model.inputChannels() || info.numClasses() != model.numClasses()) {
            throw new InputException("dataset " + info.name() + " has " + info.channels() + " channel(s) and "
                    + info.numClasses() + " classes, the classifier config expects " + model.inputChannels()
                    + " and " + model.numClasses());
        }
        int minSide = Math.min(info.height(), info.width());
        if (minSide >> model.widths().size() < 1) {
            throw new InputException("images of " + info.height() + "×" + info.width() + " are too small for "
                    + model.widths().size() + " pooling stages");
        }
        if (info.trainSize() < training.batchSize()) {
            throw new InputException("dataset " + info.name() + " has " + info.trainSize()
                    + " training images, fewer than one batch of " + training.batchSize()
                    + "; lower --batch-size");
        }
        if (info.testSize() == 0) {
            throw new InputException("dataset " + info.name() + " has no test images to measure accuracy on");
        }
    }

    /** One training run: steps, the final evaluation and the checkpoint. */
    private static final class Task implements TrainingLoop.Task {
        private final DataView train;
        private final DataView test;
        private final NDManager root;
        private final FeatureClassifier net;
        private final ClassifierTrainingConfig training;
        private final ClassifierRun run;
        private final Device device;
        private final Path outDir;
        private final BatchIterator batches;
        private final TrainStep trainStep;
        private final int numClasses;
        private long stepNanos;
        private double testAccuracy = Double.NaN;
        private long skipped;
        private ClassifierSummary summary;

        Task(Dataset data, NDManager root, FeatureClassifier net, ClassifierTrainingConfig training,
                ClassifierRun run, Device device, Path outDir) {
            this.root = root;
            this.train = data.train();
            this.test = data.test();
            this.net = net;
            this.training = training;
            this.run = run;
            this.device = device;
            this.outDir = outDir;
            this.batches = train.iterator(training.batchSize(), training.seed(), true);
            this.numClasses = run.model().numClasses();
            this.trainStep = new TrainStep(
                    new AdamW(root, AdamWConfig.defaults().withWeightDecay(training.weightDecay())),
                    LrSchedule.cosine(training.lr(), 0, training.warmupSteps(), training.steps()),
                    new GradNormClip(1.0),
                    new NonFiniteGuard());
        }

        @Override
        public Map<String, Double> step(long step, NDManager scope) {
            long start = System.nanoTime();
            UInt8Images raw = train.raw(batches.nextPositions());
            // a generator per step: the augmentation of step k does not depend on the steps before it
            raw = Augmentation.apply(raw, training.maxShift(), training.hflip(),
                    new SplittableRandom(training.seed() * 0x9E3779B97F4A7C15L + step));
            int n = raw.count();
            NDArray x = PixelTensors.toModelInput(scope, raw.pixels(), 0, n, raw.channels(), raw.height(),
                    raw.width());
            float[] oneHot = new float[n * numClasses];
            for (int k = 0; k < n; k++) {
                oneHot[k * numClasses + raw.labels()[k]] = 1f;
            }
            NDArray target = scope.create(oneHot, new Shape(n, numClasses));
            float loss;
            int right = 0;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray logits = net.forward(new ParameterStore(scope, false), new NDList(x), true).get(0);
                // cross-entropy: −Σ_c y_c · log softmax(z)_c, averaged over the batch
                NDArray lossArray = logits.logSoftmax(1).mul(target).sum(new int[] {1}).mean().neg();
                gc.backward(lossArray);
                loss = lossArray.getFloat();
                long[] predicted = logits.argMax(1).toLongArray();
                for (int k = 0; k < n; k++) {
                    if (predicted[k] == raw.labels()[k]) {
                        right++;
                    }
                }
            }
            StepStats stats = trainStep.applyGradients(net.getParameters(), loss, scope);
            skipped = stats.skippedTotal();
            stepNanos += System.nanoTime() - start;
            Map<String, Double> row = new LinkedHashMap<>();
            row.put("loss", (double) loss);
            row.put("accuracy", (double) right / n);
            row.put("lr", stats.lr());
            row.put("grad_norm", (double) stats.gradNorm());
            row.put("skipped", (double) stats.skippedTotal());
            return row;
        }

        @Override
        public Map<String, Double> evaluate(long stepsDone) {
            int[] all = IntStream.range(0, test.size()).toArray();
            UInt8Images images = test.raw(all);
            ClassifierInference.Outputs out = ClassifierInference.run(net, root, images.pixels(), images.count(),
                    images.channels(), images.height(), images.width(), EVAL_BATCH, false);
            testAccuracy = ClassifierInference.accuracy(out.predictions(), images.labels());
            return Map.of(ClassifierSummary.TEST_ACCURACY, testAccuracy);
        }

        @Override
        public void checkpoint(long stepsDone) throws IOException {
            double seconds = stepNanos / 1e9;
            summary = new ClassifierSummary(outDir, testAccuracy, trainStep.optimizer().stepCount(), skipped, seconds,
                    stepsDone * training.batchSize() / seconds);
            Checkpoint info = Checkpoint.of(KIND, run, summary.steps(), summary.metrics(), null,
                    Provenance.current(training.seed(), device.toString()));
            Checkpoints.save(outDir.resolve(CHECKPOINT), info, net);
        }
    }
}
