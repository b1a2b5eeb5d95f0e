package ldm4j.autoencoder.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ldm4j.autoencoder.AutoencoderKL;
import ldm4j.autoencoder.loss.DiscriminatorConfig;
import ldm4j.autoencoder.loss.Likelihood;
import ldm4j.autoencoder.loss.ReconstructionLoss;
import ldm4j.autoencoder.loss.PatchDiscriminator;
import ldm4j.autoencoder.latent.LatentScale;
import ldm4j.core.InputException;
import ldm4j.core.data.BatchIterator;
import ldm4j.core.data.Dataset;
import ldm4j.core.io.Checkpoint;
import ldm4j.core.io.Checkpoints;
import ldm4j.core.io.Json;
import ldm4j.core.engine.EngineSetup;
import ldm4j.core.io.Provenance;
import ldm4j.core.train.Ema;
import ldm4j.core.train.GivenKeys;
import ldm4j.core.train.TrainLog;
import ldm4j.core.train.TrainCheckpoint;
import ldm4j.core.train.TrainStep;
import ldm4j.core.train.TrainingLoop;

/**
 * Trains a KL autoencoder (stage 1) with the loop every ldm4j trainer uses ({@link TrainingLoop}):
 * {@link AutoencoderStep} on the next training batch each step, evaluation on the test split
 * ({@link AutoencoderEvaluator}) and checkpoints with the latent scale factor ({@link LatentScale})
 * on their cadence and at the end.
 *
 * <p>Output in {@code out}:
 *
 * <pre>
 * checkpoint/           model, ema, optimizer (+ discriminator) safetensors and checkpoint.json
 * train-log.csv         loss, rec, kl, grad_norm, lr, skipped (+ GAN terms) and the evaluations
 * metrics.json          final evaluation, scale factor, timing
 * reconstructions.png   test originals (top row) above their reconstructions (bottom row)
 * </pre>
 *
 * <p>Exact resume: the data order is a function of (seed, epoch) restored from the checkpoint's
 * {@link AutoencoderTrainState}, and the engine's RNG (posterior noise, dropout) is reseeded at the
 * start of every step from (seed, step), so step k draws the same noise whether or not the run was
 * interrupted before it. With one intra-op thread the resumed losses match bit for bit. The
 * sidecar's {@code step} counts loop steps, skipped ones included (the optimiser's own count, which
 * leaves them out, is in {@code optimizer.safetensors}), since that is where the loop resumes.
 */
public final class AutoencoderTrainer implements TrainingLoop.Task, AutoCloseable {
    /** The checkpoint directory inside the output directory. */
    public static final String CHECKPOINT_DIR = "checkpoint";
    /** Key prefix of the discriminator's optimiser state in {@code optimizer.safetensors}. */
    static final String DISC_PREFIX = "disc.";

    private final AutoencoderTrainConfig config;
    private final Dataset data;
    private final String dataName;
    private final Path out;
    private final Device device;
    private final NDManager root;
    private final AutoencoderStep work;
    private final AutoencoderKL model;
    private final PairList<String, Parameter> params; // model + loss log-variance
    private final TrainStep step;
    private final BatchIterator batches;
    private final PatchDiscriminator disc; // null when off
    private final TrainStep discStep;
    private long skippedOffset;
    private long discSkippedOffset;
    private long trainNanos;
    private long stepsRun;
    private Map<String, Double> lastEvaluation = Map.of();
    private AutoencoderMetrics lastMetrics;
    private double scaleFactor = Double.NaN;

    /**
     * What a finished run reports.
     *
     * @param metrics the final evaluation
     * @param scaleFactor the latent scale factor stored with the checkpoint
     * @param steps training steps done in all
     * @param skippedSteps steps skipped for non-finite gradients in all
     * @param imagesPerSecond training throughput of this process (forward, backward, update), evaluation excluded
     * @param checkpoint the checkpoint directory
     */
    public record Result(AutoencoderMetrics metrics, double scaleFactor, long steps, long skippedSteps,
            double imagesPerSecond, Path checkpoint) {}

    private AutoencoderTrainer(AutoencoderTrainConfig config, Dataset data, String dataName, Path out, Device device) {
        this.config = config;
        this.data = data;
        this.dataName = dataName;
        this.out = out;
        this.device = device;
        int channels = data.info().channels();
        if (config.model().inChannels() != channels) {
            throw new InputException("the model has " + config.model().inChannels() + " input channels but "
                    + dataName + " has " + channels);
        }
        if (data.info().height() != data.info().width()) {
            throw new InputException(dataName + " has " + data.info().height() + "×" + data.info().width()
                    + " images; the autoencoder trainer takes square images");
        }
        DiscriminatorConfig d = config.disc();
        if (d.enabled() && data.info().height() < d.minImageSize()) {
            throw new InputException("a " + d.layers() + "-layer discriminator needs images of at least "
                    + d.minImageSize() + " pixels; " + dataName + " has " + data.info().height());
        }
        this.root = NDManager.newBaseManager(device);
        this.work = new AutoencoderStep(config, root, data.info().height());
        this.model = work.model();
        this.params = work.params();
        this.step = work.trainStep();
        this.disc = work.discriminator();
        this.discStep = work.discriminatorStep();
        this.batches = data.train().iterator(config.batchSize(), config.seed(), true);
    }

    /**
     * Trains (or resumes) and writes everything into {@code out}.
     *
     * @param config the resolved config; when resuming, the checkpoint's in every key but {@code steps}. A
     *     dense latent without {@code model.image_size} is sized for the data's images here, and that
     *     size is what config.yaml and the checkpoint record
     * @param data the dataset; its train split is trained on, its test split evaluated
     * @param dataName the name or spec, for messages and provenance
     * @param out the output directory
     * @param resume a checkpoint directory to continue from, or null for a fresh run
     * @param device where to compute
     */
    public static Result run(AutoencoderTrainConfig config, Dataset data, String dataName, Path out, Path resume,
            Device device) throws IOException {
        try {
            config = config.withImageSize(data.info().height());
        } catch (IllegalArgumentException e) {
            throw new InputException(dataName + ": " + e.getMessage(), e);
        }
        Files.createDirectories(out);
        try (AutoencoderTrainer trainer = new AutoencoderTrainer(config, data, dataName, out, device)) {
            long start = resume == null ? 0 : trainer.restore(resume);
            if (start >= config.steps()) {
                throw new InputException("the checkpoint " + resume + " is at step " + start
                        + ", not before the requested " + config.steps() + " steps; raise --steps");
            }
            Json.writeYaml(out.resolve("config.yaml"), config);
            try (TrainLog log = TrainLog.open(out.resolve("train-log.csv"), trainer.logColumns(), start)) {
                TrainingLoop.run("train-ae", trainer.root, trainer,
                        new TrainingLoop.Cadence(config.steps(), config.logEvery(), config.evalEvery(),
                                config.checkpointEvery()),
                        start, log);
            }
            return trainer.finish();
        }
    }

    /** Columns of {@code train-log.csv}: the step's, then the evaluation's. */
    List<String> logColumns() {
        List<String> cols = new ArrayList<>(work.columns());
        cols.addAll(AutoencoderMetrics.LOG_COLUMNS);
        return cols;
    }

    @Override
    public Map<String, Double> step(long stepIndex, NDManager scope) {
        long t0 = System.nanoTime();
        Map<String, Double> row = work.run(batches.next(scope).images(), stepIndex, scope);
        row.put("skipped", row.get("skipped") + skippedOffset);
        trainNanos += System.nanoTime() - t0;
        stepsRun++;
        return row;
    }

    @Override
    public Map<String, Double> evaluate(long stepsDone) {
        int n = stepsDone == config.steps() ? config.finalEvalImages() : config.evalImages();
        lastMetrics = withEmaWeights(() -> AutoencoderEvaluator.evaluate(model, work.loss().likelihood(), data.test(), n,
                evalBatch(), root));
        lastEvaluation = lastMetrics.asLogRow();
        return lastEvaluation;
    }

    @Override
    public void checkpoint(long stepsDone) throws IOException {
        scaleFactor = withEmaWeights(() -> LatentScale.compute(model, data.train(), config.scaleImages(), evalBatch(), root));
        Checkpoint info = Checkpoint.of(AutoencoderCheckpoint.KIND, config, stepsDone, lastEvaluation, scaleFactor,
                        Provenance.current(config.seed(), device.toString()))
                .withState(new AutoencoderTrainState(batches.state(), skippedOffset + step.guard().skippedSteps(),
                        discSkippedOffset + (discStep == null ? 0 : discStep.guard().skippedSteps()), dataName,
                        data.info().cacheHash()));
        checkpointLayout().save(out.resolve(CHECKPOINT_DIR), info, root);
    }

    /** Model, loss log-variance, EMA, optimisers and discriminator in the layout every trainer shares. */
    private TrainCheckpoint checkpointLayout() {
        TrainCheckpoint layout = new TrainCheckpoint(model, params, step);
        return disc == null ? layout
                : layout.withPart(AutoencoderCheckpoint.DISCRIMINATOR, DISC_PREFIX, disc, discStep);
    }

    /** Restores weights, optimiser, EMA, discriminator and data order; returns the step to continue from. */
    private long restore(Path dir) {
        Checkpoint info = Checkpoints.readInfo(dir, AutoencoderCheckpoint.KIND);
        Path sidecar = dir.resolve(Checkpoints.SIDECAR);
        if (info.state() == null) {
            throw InputException.inFile(sidecar, "no trainer state: not a checkpoint that can be resumed");
        }
        AutoencoderTrainState state = Json.convert(info.state(), AutoencoderTrainState.class, sidecar);
        AutoencoderTrainConfig saved = AutoencoderTrainConfig.fromSidecar(info.config(), sidecar);
        // The data order, the noise, the optimizer state and the schedule all assume the checkpoint's config.
        GivenKeys.requireSame(saved, config, dir);
        if (state.datasetHash() != null && !state.datasetHash().equals(data.info().cacheHash())) {
            throw new InputException("the checkpoint " + dir + " was trained on " + state.dataset()
                    + ", other data than " + dataName + " (cache hashes differ); resume on the same data");
        }
        checkpointLayout().restore(dir);
        batches.restore(state.data());
        skippedOffset = state.skippedSteps();
        discSkippedOffset = state.discSkippedSteps();
        lastEvaluation = info.metrics();
        return info.step();
    }

    /** Final outputs after the loop: metrics.json and reconstructions.png. */
    private Result finish() throws IOException {
        Path png = out.resolve("reconstructions.png");
        withEmaWeights(() -> Reconstructions.write(model, data.test(), config.reconstructionImages(), 2, png, root));
        double imagesPerSecond = stepsRun == 0 ? Double.NaN : stepsRun * (double) config.batchSize() / (trainNanos / 1e9);
        long skipped = skippedOffset + step.guard().skippedSteps();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("dataset", dataName);
        summary.put("datasetHash", data.info().cacheHash());
        summary.put("steps", config.steps());
        summary.put("beta", config.beta());
        summary.put("loss", config.loss().name().toLowerCase(java.util.Locale.ROOT));
        if (config.loss() == ReconstructionLoss.L2) {
            summary.put("sigma", config.sigma());
        }
        // with the weights the evaluation used: an EMA averages nll's s too
        Likelihood likelihood = withEmaWeights(() -> work.loss().likelihood());
        summary.put("betaEffective", likelihood.effectiveBeta());
        summary.put("betaRelativeTo", likelihood.betaRelativeTo());
        summary.put("latent", config.model().latent().name().toLowerCase(java.util.Locale.ROOT));
        if (config.model().dense()) {
            summary.put("latentDim", config.model().latentDim());
        }
        summary.put("test", lastMetrics);
        summary.put("scaleFactor", scaleFactor);
        summary.put("skippedSteps", skipped);
        summary.put("trainSeconds", trainNanos / 1e9);
        summary.put("trainImagesPerSecond", imagesPerSecond);
        summary.put("threads", EngineSetup.threads());
        summary.put("checkpoint", out.resolve(CHECKPOINT_DIR).toString());
        Json.write(out.resolve("metrics.json"), summary);
        return new Result(lastMetrics, scaleFactor, config.steps(), skipped, imagesPerSecond, out.resolve(CHECKPOINT_DIR));
    }

    private int evalBatch() {
        return Math.max(config.batchSize(), 64);
    }

    private interface Action<T> {
        T run() throws IOException;
    }

    /** Runs {@code action} with the EMA weights in the model (when there is an EMA), then swaps back. */
    private <T> T withEmaWeights(Action<T> action) {
        Ema ema = step.ema().orElse(null);
        if (ema != null) {
            ema.swap(params);
        }
        try {
            return action.run();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            if (ema != null) {
                ema.swap(params);
            }
        }
    }

    /** Frees every array of the run. */
    @Override
    public void close() {
        work.close();
        root.close();
    }
}
