package ldm4j.diffusion.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import ldm4j.core.InputException;
import ldm4j.core.data.Batch;
import ldm4j.core.data.BatchIterator;
import ldm4j.core.engine.EngineSetup;
import ldm4j.core.io.Checkpoint;
import ldm4j.core.io.Provenance;
import ldm4j.core.io.WeightsHash;
import ldm4j.core.train.AdamW;
import ldm4j.core.train.AdamWConfig;
import ldm4j.core.train.Ema;
import ldm4j.core.train.GivenKeys;
import ldm4j.core.train.GradNormClip;
import ldm4j.core.train.LrSchedule;
import ldm4j.core.train.NonFiniteGuard;
import ldm4j.core.train.StepStats;
import ldm4j.core.train.TrainCheckpoint;
import ldm4j.core.train.TrainLog;
import ldm4j.core.train.TrainStep;
import ldm4j.core.train.TrainingLoop;
import ldm4j.diffusion.generate.GenerateConfig;
import ldm4j.diffusion.generate.Generator;
import ldm4j.diffusion.objective.Objective;
import ldm4j.diffusion.sampler.Sampler;
import ldm4j.diffusion.sampler.TimestepSpacing;
import ldm4j.diffusion.schedule.NoiseSchedule;
import ldm4j.diffusion.unet.UNet;

/**
 * Trains a {@link UNet} to denoise (Ho et al. 2020, Algorithm 1), on latents (LDM, Rombach et al.
 * 2022) or pixels, through the shared {@link TrainingLoop}. One step:
 *
 * <pre>
 * x_0, y  ← next batch                       seeded order, resumable
 * t, ε, y ← {@link StepDraws}(seed, step)          t ~ U{0..T−1}, ε ~ N(0, I), y → null with p = label_dropout
 * x_t = √ᾱ_t x_0 + √(1−ᾱ_t) ε                 NoiseSchedule.qSample
 * loss = Objective.loss(unet(x_t, t, y), …)   ε or v target, uniform or min-SNR-γ weights
 * backward; TrainStep: clip → non-finite guard → AdamW (warm-up) → EMA
 * </pre>
 *
 * <p>Output in {@code out}: {@code checkpoint/} (raw weights, EMA weights, optimizer and EMA state,
 * step, data order; see {@link DiffusionCheckpoint}), {@code train-log.csv}, and
 * {@code samples-stepN.png} grids drawn with the EMA weights by DDIM.
 */
public final class DiffusionTrainer implements TrainingLoop.Task {
    /** The columns of train-log.csv after the step. */
    public static final List<String> LOG_COLUMNS = List.of("loss", "lr", "grad_norm", "skipped");

    private final DiffusionTrainConfig config;
    private final DiffusionData data;
    private final Path out;
    private final NDManager root;
    private final UNet unet;
    private final PairList<String, Parameter> params;
    private final ParameterStore ps;
    private final NoiseSchedule schedule;
    private final Objective objective;
    private final TrainStep trainStep;
    private final BatchIterator batches;
    private final long startStep;
    private LatentDecoder decoder;
    private double lastLoss = Double.NaN;
    private Runnable beforeBackward = () -> {};
    private Set<Long> milestoneSteps = Set.of();
    private Milestone milestone;

    private DiffusionTrainer(DiffusionTrainConfig config, DiffusionData data, Path out, NDManager root,
            DiffusionCheckpoint resumeFrom) {
        this.config = config;
        this.data = data;
        this.out = out;
        this.root = root;
        this.schedule = config.noiseSchedule();
        this.objective = config.objective();
        this.unet = new UNet(config.model());
        EngineSetup.seed(config.seed()); // fixes the initial weights
        unet.initialize(root);
        this.params = unet.getParameters();
        this.ps = new ParameterStore(root, false);
        AdamW adamW = new AdamW(root, AdamWConfig.defaults().withWeightDecay(config.weightDecay()));
        this.trainStep = new TrainStep(adamW, config.lrSchedule(),
                new GradNormClip(config.gradClip()), new NonFiniteGuard(), new Ema(root, config.ema(), params));
        this.batches = data.iterator(config.batchSize(), config.seed());
        if (resumeFrom != null) {
            restore(resumeFrom);
            this.startStep = resumeFrom.step();
        } else {
            this.startStep = 0;
        }
    }

    /**
     * A fresh run.
     *
     * @param config the run's config; {@link DiffusionTrainConfig#forData} is applied here
     * @param data the training set
     * @param out the run directory (created as needed)
     * @param root the long-lived manager for weights and optimizer state (its device is used)
     */
    public static DiffusionTrainer start(DiffusionTrainConfig config, DiffusionData data, Path out, NDManager root) {
        DiffusionTrainConfig fitted;
        try {
            fitted = config.forData(data.channels(), data.numClasses());
        } catch (IllegalArgumentException e) {
            throw new InputException(data.source() + ": " + e.getMessage(), e);
        }
        return new DiffusionTrainer(fitted, data, out, root, null);
    }

    /**
     * Continues the run saved at {@code checkpoint} exactly where it stopped: same weights, optimizer
     * and EMA state, data order and random draws, so the losses are those of an uninterrupted run.
     *
     * @param checkpoint a run directory or its checkpoint directory
     * @param data the same training set as the first run (its shape and space are checked)
     * @param out where to continue writing (usually the same run directory)
     * @param steps the new total step count, or 0 to keep the checkpoint's
     */
    public static DiffusionTrainer resume(Path checkpoint, DiffusionData data, Path out, NDManager root, long steps) {
        return resume(checkpoint, data, out, root, GivenKeys.none().flag("steps", GivenKeys.STEPS,
                steps > 0 ? steps : null));
    }

    /**
     * {@link #resume(Path, DiffusionData, Path, NDManager, long)} with the keys a user gave: each must
     * match the checkpoint's config, and {@code steps} sets the new total
     * ({@link DiffusionTrainConfig#resume}).
     *
     * @throws InputException for a damaged checkpoint, other data, a key that contradicts the
     *     checkpoint, or a run that already took its steps
     */
    public static DiffusionTrainer resume(Path checkpoint, DiffusionData data, Path out, NDManager root,
            GivenKeys given) {
        DiffusionCheckpoint ckpt = DiffusionCheckpoint.readIntact(checkpoint);
        DiffusionTrainState state = ckpt.state();
        if (state.space() != data.space() || !java.util.Arrays.equals(state.shape(), data.shape())) {
            throw new InputException(ckpt.dir() + ": the checkpoint was trained on " + state.space().id() + " data of "
                    + "shape " + java.util.Arrays.toString(state.shape()) + " but the data given is "
                    + data.space().id() + " " + java.util.Arrays.toString(data.shape()));
        }
        if (state.autoencoderSha256() != null && data.autoencoderSha256() != null
                && !state.autoencoderSha256().equals(data.autoencoderSha256())) {
            throw new InputException(ckpt.dir() + ": the checkpoint was trained on latents of the autoencoder with "
                    + "weights sha256 " + WeightsHash.shortForm(state.autoencoderSha256()) + ", but " + data.source()
                    + " holds latents of another (" + WeightsHash.shortForm(data.autoencoderSha256())
                    + "); resume on the same latents");
        }
        DiffusionTrainConfig config;
        try {
            config = DiffusionTrainConfig.resume(ckpt.config(), given, data.channels(), data.numClasses(), ckpt.dir());
        } catch (IllegalArgumentException e) {
            throw new InputException(data.source() + ": " + e.getMessage(), e);
        }
        if (ckpt.step() >= config.steps()) {
            throw new InputException(ckpt.dir() + ": the run already took " + ckpt.step() + " of its "
                    + config.steps() + " steps; pass a larger --steps to continue it");
        }
        return new DiffusionTrainer(config, data, out, root, ckpt);
    }

    /** Decodes latents for the sample grids (the pipeline passes its autoencoder's decoder). */
    public DiffusionTrainer withDecoder(LatentDecoder latentDecoder) {
        this.decoder = latentDecoder;
        return this;
    }

    /**
     * Runs {@code hook} after every forward pass, just before its backward. Tests put a GC there:
     * anything autograd saved must survive it (docs/djl-rules.md, rule 2).
     */
    public DiffusionTrainer beforeBackward(Runnable hook) {
        this.beforeBackward = Objects.requireNonNull(hook, "hook");
        return this;
    }

    /** What runs when training reaches a chosen step count ({@link #atSteps}). */
    @FunctionalInterface
    public interface Milestone {
        /** Training has taken {@code stepsDone} steps, and the checkpoint holds exactly that state. */
        void reached(long stepsDone) throws IOException;
    }

    /**
     * Calls {@code milestone} each time training has taken one of {@code steps} steps, right after a
     * checkpoint of that step, so whatever it reads from the checkpoint (the EMA weights) is the
     * model at that step, and a run interrupted after it resumes past it. Steps at or before
     * {@link #startStep()} are not revisited.
     */
    public DiffusionTrainer atSteps(Collection<Long> steps, Milestone milestone) {
        this.milestoneSteps = new TreeSet<>(steps);
        this.milestone = Objects.requireNonNull(milestone, "milestone");
        return this;
    }

    /** The resolved config (in_channels and num_classes fitted to the data). */
    public DiffusionTrainConfig config() {
        return config;
    }

    /** The model being trained (raw weights). */
    public UNet unet() {
        return unet;
    }

    /** The learning-rate schedule the optimizer steps with (the config's {@code lr_decay}). */
    public LrSchedule lrSchedule() {
        return trainStep.schedule();
    }

    /** The step this run starts at (0, or the checkpoint's step). */
    public long startStep() {
        return startStep;
    }

    /** Steps refused so far by the non-finite guard (since this object was made). */
    public long skippedSteps() {
        return trainStep.guard().skippedSteps();
    }

    /** The EMA of the weights. */
    public Ema ema() {
        return trainStep.ema().orElseThrow();
    }

    /**
     * Runs the remaining steps with a progress bar, the CSV log, checkpoints and sample grids.
     *
     * @return the last step's loss and the final evaluation
     */
    public Map<String, Double> run() throws IOException {
        TrainingLoop.Cadence cadence = new TrainingLoop.Cadence(config.steps(), config.logEvery(),
                config.sampleEvery(), config.checkpointEvery());
        try (TrainLog log = TrainLog.open(out.resolve("train-log.csv"), LOG_COLUMNS, startStep)) {
            Map<String, Double> result = new LinkedHashMap<>(
                    TrainingLoop.run("train-ldm", root, milestone == null ? this : new WithMilestones(), cadence,
                            startStep, log));
            result.put("loss", lastLoss);
            return result;
        } catch (UncheckedIOException e) {
            throw e.getCause(); // a milestone's, carried out of the loop's step
        }
    }

    /** This trainer, with the milestone called after the checkpoint of each chosen step. */
    private final class WithMilestones implements TrainingLoop.Task {
        @Override
        public Map<String, Double> step(long step, NDManager scope) {
            Map<String, Double> stats = DiffusionTrainer.this.step(step, scope);
            long done = step + 1;
            if (milestoneSteps.contains(done)) {
                try {
                    DiffusionTrainer.this.checkpoint(done);
                    milestone.reached(done);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return stats;
        }

        @Override
        public Map<String, Double> evaluate(long stepsDone) throws IOException {
            return DiffusionTrainer.this.evaluate(stepsDone);
        }

        @Override
        public void checkpoint(long stepsDone) throws IOException {
            DiffusionTrainer.this.checkpoint(stepsDone);
        }
    }

    @Override
    public Map<String, Double> step(long step, NDManager scope) {
        EngineSetup.seed(StepDraws.mix(config.seed(), step)); // dropout masks, if any, follow the step too
        Batch batch = data.batch(scope, batches.nextPositions());
        NDArray x0 = batch.images();
        int n = batch.size();
        long[] shape = data.shape();
        int[] labels = null;
        if (config.model().classConditional()) {
            labels = batch.labels().toIntArray();
        }
        StepDraws draws = StepDraws.draw(config.seed(), step, n, Math.toIntExact(shape[0] * shape[1] * shape[2]),
                schedule.steps(), labels, config.labelDropout(), config.model().nullClass());
        NDArray t = scope.create(draws.t());
        NDArray eps = scope.create(draws.eps(), x0.getShape());
        NDArray y = draws.labels() == null ? null : scope.create(toLong(draws.labels()));
        NDArray xt = schedule.qSample(x0, t, eps);
        NDArray loss;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray prediction = unet.forward(ps, xt, t, y, true);
            loss = objective.loss(schedule, prediction, x0, eps, t);
            beforeBackward.run();
            gc.backward(loss);
        }
        float lossValue = loss.getFloat();
        StepStats s = trainStep.applyGradients(params, lossValue, scope);
        lastLoss = lossValue;
        Map<String, Double> stats = new LinkedHashMap<>();
        stats.put("loss", (double) lossValue);
        stats.put("lr", s.lr());
        stats.put("grad_norm", (double) s.gradNorm());
        stats.put("skipped", (double) s.skippedTotal());
        return stats;
    }

    private static long[] toLong(int[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }

    /** Writes {@code samples-step<N>.png}, drawn with the EMA weights; logs nothing. */
    @Override
    public Map<String, Double> evaluate(long stepsDone) throws IOException {
        if (config.sampleCount() == 0) {
            return Map.of();
        }
        Ema ema = ema();
        ema.swap(params);
        try {
            GenerateConfig g = new GenerateConfig(config.sampleCount(), config.sampleCount(), Sampler.DDIM,
                    config.sampleSteps(), 0.0, TimestepSpacing.LEADING, null, config.sampleGuidance(), config.seed());
            float[] samples = Generator.generate(unet, config.predictionType(), schedule, data.shape(), g, root,
                    done -> {});
            SampleGrid.write(out.resolve("samples-step" + stepsDone + ".png"), samples, config.sampleCount(),
                    data.shape(), data.space(), data.scaleFactor(), decoder, root);
        } finally {
            ema.swap(params);
        }
        return Map.of();
    }

    @Override
    public void checkpoint(long stepsDone) throws IOException {
        DiffusionTrainState state = new DiffusionTrainState(data.space(), data.shape(), data.source(),
                batches.state(), trainStep.guard().skippedSteps(), data.autoencoderSha256());
        Map<String, Double> metrics = Double.isNaN(lastLoss) ? Map.of() : Map.of("loss", lastLoss);
        // The autoencoder's hash names the latent space (and with it the scale factor, the autoencoder's);
        // latents from before hashes leave the scale factor as the only fingerprint, as before.
        boolean legacyFingerprint = data.space() == DataSpace.LATENT && data.autoencoderSha256() == null;
        Checkpoint info = Checkpoint.of(DiffusionCheckpoint.KIND, config, stepsDone, metrics,
                legacyFingerprint ? data.scaleFactor() : null,
                Provenance.current(config.seed(), root.getDevice().toString())).withState(state);
        new TrainCheckpoint(unet, params, trainStep).save(out.resolve(DiffusionCheckpoint.DIR), info, root);
    }

    private void restore(DiffusionCheckpoint ckpt) {
        new TrainCheckpoint(unet, params, trainStep).restore(ckpt.dir());
        batches.restore(ckpt.state().iterator());
        lastLoss = ckpt.info().metrics().getOrDefault("loss", Double.NaN);
    }
}
