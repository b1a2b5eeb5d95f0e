package ldm4j.pipeline.experiment;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import ldm4j.autoencoder.latent.LatentEncoder;
import ldm4j.autoencoder.latent.LatentMode;
import ldm4j.autoencoder.train.AutoencoderCheckpoint;
import ldm4j.autoencoder.train.AutoencoderTrainConfig;
import ldm4j.autoencoder.train.AutoencoderTrainer;
import ldm4j.core.bench.MemoryPeak;
import ldm4j.core.bench.NativeHeap;
import ldm4j.core.bench.ProcessMemory;
import ldm4j.core.data.Dataset;
import ldm4j.core.data.DatasetStore;
import ldm4j.core.data.LatentSet;
import ldm4j.core.data.ProgressBarListener;
import ldm4j.core.io.AtomicFiles;
import ldm4j.core.io.Checkpoints;
import ldm4j.core.io.Json;
import ldm4j.core.progress.Progress;
import ldm4j.core.data.UInt8Images;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ldm4j.diffusion.generate.GenerateConfig;
import ldm4j.pipeline.AutoencoderLatentDecoder;
import ldm4j.pipeline.RunLayout;
import ldm4j.pipeline.LatentDiffusionPipeline;
import ldm4j.pipeline.PixelVaeSampler;
import ldm4j.pipeline.SampleFiles;
import ldm4j.pipeline.eval.ClassifierConfig;
import ldm4j.pipeline.eval.ClassifierTrainingConfig;
import ldm4j.pipeline.eval.FeatureNetwork;
import ldm4j.pipeline.eval.FeatureNetworks;
import ldm4j.pipeline.eval.SampleEvaluator;
import ldm4j.pipeline.eval.SampleMetrics;
import ldm4j.diffusion.train.DiffusionCheckpoint;
import ldm4j.diffusion.train.DiffusionData;
import ldm4j.diffusion.train.DiffusionTrainConfig;
import ldm4j.diffusion.train.DiffusionTrainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ldm4j run}: data → autoencoder → encode → diffusion → samples → pixel-VAE baseline →
 * evaluation → summary, each stage writing into the run directory ({@link RunLayout}).
 *
 * <p>A stage that finished is skipped on the next invocation while the config it was made from is
 * unchanged, so a killed run resumes where it stopped; the two training stages also resume from
 * their last checkpoint inside the stage. A stage whose config changed since (or one of whose
 * inputs is made again) runs again, with every stage that reads it; {@link RunPlan} says how, and
 * when a training stage can continue from its checkpoint rather than start over. {@code force}
 * redoes every stage.
 */
public final class EndToEndRun {
    private static final Logger LOG = LoggerFactory.getLogger(EndToEndRun.class);

    private final RunConfig config;
    private final Path configFile;
    private final RunLayout layout;
    private final Device device;
    private final RunState state;
    private Dataset data;
    private StageInputs inputs;
    private RunPlan plan;

    private EndToEndRun(RunConfig config, Path configFile, RunLayout layout, Device device, RunState state) {
        this.config = config;
        this.configFile = configFile;
        this.layout = layout;
        this.device = device;
        this.state = state;
    }

    /**
     * Runs every stage not yet done.
     *
     * @param configFile the run's YAML config
     * @param runDir the run directory (created as needed)
     * @param force redo every stage, even the finished ones (checkpoints inside stages are discarded too)
     * @param device where to compute
     * @return the summary that was written
     */
    public static RunSummary run(Path configFile, Path runDir, boolean force, Device device) throws IOException {
        RunConfig config = RunConfig.read(configFile);
        RunLayout layout = new RunLayout(runDir);
        Files.createDirectories(runDir);
        RunState state = force ? RunState.empty() : RunState.read(layout.state());
        if (force) {
            for (Path p : new Path[] {layout.autoencoder(), layout.latents(), layout.diffusion(), layout.samples(),
                layout.root().resolve("baseline"), layout.eval()}) {
                AtomicFiles.deleteRecursively(p);
            }
        }
        AtomicFiles.writeBytes(layout.config(), Files.readAllBytes(configFile));
        return new EndToEndRun(config, configFile, layout, device, state).runStages();
    }

    private RunSummary runStages() throws IOException {
        dataStage();
        timed(Stage.AUTOENCODER, () -> trainAutoencoder(inputs.autoencoder(), layout.autoencoder()));
        timed(Stage.ENCODE, this::encode);
        timed(Stage.DIFFUSION, this::trainDiffusion);
        timed(Stage.SAMPLE, this::sample);
        if (config.baseline().enabled()) {
            timed(Stage.BASELINE, this::baseline);
        }
        if (config.eval().enabled()) {
            timed(Stage.EVAL, this::evaluate);
        }
        RunSummary summary = RunSummary.collect(config, layout, state);
        summary.write(layout);
        LOG.info("run {} done: {}", config.name(), layout.summaryMarkdown());
        return summary;
    }

    /** A stage's body; it may throw what the stage's own code throws. */
    @FunctionalInterface
    private interface StageBody {
        void run() throws IOException;
    }

    private void timed(Stage stage, StageBody body) throws IOException {
        RunPlan.Step step = plan.step(stage);
        switch (step.action()) {
            case SKIP -> {
                state.adopt(stage, step.fingerprint(), layout.state());
                LOG.info("[{}] done before ({}), skipped; --force redoes it", stage.id(),
                        RunSummary.formatSeconds(state.seconds().get(stage.id())));
                return;
            }
            case RESTART -> discardOutputs(stage, false);
            case CONTINUE -> discardOutputs(stage, true);
            case RUN -> { } // a checkpoint it left with this config is continued inside the stage
        }
        // A continued stage's output holds its earlier training too; the summary counts both
        // times and the higher of both peaks.
        boolean continued = step.action() == RunPlan.Action.CONTINUE;
        double earlier = continued ? state.seconds().getOrDefault(stage.id(), 0.0) : 0.0;
        MemoryPeak earlierPeak = continued ? state.peakRss().get(stage.id()) : null;
        LOG.info("[{}] ...", stage.id());
        state.start(stage, step.fingerprint(), layout.state());
        releaseFreedMemory();
        ProcessMemory.Window memory = ProcessMemory.startWindow();
        long start = System.nanoTime();
        body.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        MemoryPeak peak = memory.peak().orElse(null);
        state.finish(stage, earlier + seconds, peak == null || earlierPeak == null ? peak : peak.max(earlierPeak),
                layout.state());
        if (earlier > 0) {
            LOG.info("[{}] finished in {} ({} with the run it continued){}", stage.id(),
                    RunSummary.formatSeconds(seconds), RunSummary.formatSeconds(earlier + seconds), peakText(peak));
        } else {
            LOG.info("[{}] finished in {}{}", stage.id(), RunSummary.formatSeconds(seconds), peakText(peak));
        }
    }

    /**
     * Gives back what the stages before freed, so a stage starts near the run's floor (the JVM,
     * libtorch, the dataset) and its recorded peak is its own: a full collection frees the Java
     * objects they left (latent arrays, batches, and the direct buffers behind input tensors, whose
     * native memory only a collection frees), and the trim returns the C heap's free pages.
     */
    private static void releaseFreedMemory() {
        System.gc();
        NativeHeap.trim();
    }

    /** ", peak RSS 812.4 MiB" for the log, naming a process-wide peak as such; "" when unknown. */
    private static String peakText(MemoryPeak peak) {
        return peak == null ? "" : ", peak RSS " + RunSummary.formatPeak(peak);
    }

    /**
     * Deletes what {@code stage} wrote before it runs again, so nothing of its old outputs mixes with
     * the new ones.
     *
     * @param keepModel keep the trained model (its checkpoint is continued, or, for the baseline,
     *     sampled again)
     */
    private void discardOutputs(Stage stage, boolean keepModel) throws IOException {
        Path dir = switch (stage) {
            case AUTOENCODER -> keepModel ? null : layout.autoencoder();
            case ENCODE -> layout.latents();
            case DIFFUSION -> keepModel ? null : layout.diffusion();
            case SAMPLE -> layout.samples();
            case BASELINE -> keepModel ? layout.baselineSamples() : layout.root().resolve("baseline");
            case EVAL -> layout.eval();
            case DATA, SUMMARY -> null;
        };
        if (dir != null) {
            AtomicFiles.deleteRecursively(dir);
        }
    }

    private Dataset data() throws IOException {
        if (data == null) {
            try (ProgressBarListener bars = new ProgressBarListener()) {
                data = DatasetStore.atDefaultLocation().withProgress(bars).open(config.data());
            }
        }
        return data;
    }

    /**
     * The data stage, which runs every time: opens the dataset, resolves every stage's config against
     * it and plans the run from what changed since the last one.
     */
    private void dataStage() throws IOException {
        LOG.info("[{}] ...", Stage.DATA.id());
        ProcessMemory.Window memory = ProcessMemory.startWindow();
        long start = System.nanoTime();
        inputs = StageInputs.resolve(config, data().info(), configFile);
        plan = RunPlan.of(state, inputs.byStage());
        plan.changes().forEach(LOG::info);
        state.start(Stage.DATA, plan.step(Stage.DATA).fingerprint(), layout.state());
        double seconds = (System.nanoTime() - start) / 1e9;
        MemoryPeak peak = memory.peak().orElse(null);
        state.finish(Stage.DATA, seconds, peak, layout.state());
        LOG.info("[{}] finished in {}{}", Stage.DATA.id(), RunSummary.formatSeconds(seconds), peakText(peak));
    }

    /** Trains (or finishes training) an autoencoder into {@code out}. */
    private void trainAutoencoder(AutoencoderTrainConfig cfg, Path out) throws IOException {
        Path checkpoint = out.resolve(AutoencoderTrainer.CHECKPOINT_DIR);
        Path resume = null;
        if (Files.isRegularFile(checkpoint.resolve(Checkpoints.SIDECAR))) {
            long done = Checkpoints.readInfo(checkpoint, AutoencoderCheckpoint.KIND).step();
            if (done < cfg.steps()) {
                LOG.info("resuming the autoencoder from its checkpoint at step {}", done);
                resume = checkpoint;
            } else {
                return; // trained to the end; only the stage record was missing
            }
        }
        AutoencoderTrainer.run(cfg, data(), config.data(), out, resume, device);
    }

    private void encode() throws IOException {
        try (NDManager root = NDManager.newBaseManager(device)) {
            AutoencoderCheckpoint ae = AutoencoderCheckpoint.load(layout.autoencoderCheckpoint(), root);
            LatentMode mode = config.encode().mode();
            LatentEncoder.encodeTo(layout.latents(), ae, data(), config.data(), mode, config.encode().batchSize(),
                    config.seed(), root);
        }
    }

    private void trainDiffusion() throws IOException {
        DiffusionTrainConfig cfg = inputs.diffusion();
        DiffusionData latents = DiffusionData.latents(LatentSet.read(layout.latents()), layout.latents().toString());
        try (NDManager root = NDManager.newBaseManager(device)) {
            AutoencoderLatentDecoder decoder = new AutoencoderLatentDecoder(
                    AutoencoderCheckpoint.load(layout.autoencoderCheckpoint(), root).model());
            DiffusionTrainer trainer;
            Path ckpt = layout.diffusionCheckpoint();
            if (Files.isRegularFile(ckpt.resolve(Checkpoints.SIDECAR))) {
                long done = DiffusionCheckpoint.read(ckpt).step();
                if (done >= cfg.steps()) {
                    return;
                }
                LOG.info("resuming the diffusion model from its checkpoint at step {}", done);
                trainer = DiffusionTrainer.resume(ckpt, latents, layout.diffusion(), root, cfg.steps());
            } else {
                trainer = DiffusionTrainer.start(cfg, latents, layout.diffusion(), root);
            }
            trainer.withDecoder(decoder).run();
        }
    }

    /** Noise → latents → images with the trained pair: the run's samples for the grid and the eval. */
    private void sample() throws IOException {
        SampleSettings s = config.sample();
        GenerateConfig g = new GenerateConfig(s.count(), s.batchSize(), s.sampler(), s.steps(),
                s.eta(), s.spacing(), null, s.guidance(), config.seed());
        try (LatentDiffusionPipeline pipe = LatentDiffusionPipeline.load(layout.autoencoderCheckpoint(),
                        layout.diffusion(), device);
                Progress bar = Progress.start("sample", s.count())) {
            UInt8Images images = pipe.generate(g, bar::stepTo);
            SampleFiles.write(layout.samples(), images, null, s.gridCount());
        }
    }

    /** The textbook VAE (β = 1, NLL) with the same architecture, sampled from its N(0, I) prior. */
    private void baseline() throws IOException {
        trainAutoencoder(inputs.baselineAutoencoder(), layout.baselineAutoencoder());
        SampleSettings s = config.sample();
        var info = data().info();
        try (PixelVaeSampler vae = PixelVaeSampler.load(layout.baselineAutoencoderCheckpoint(), info.height(),
                        info.width(), device);
                Progress bar = Progress.start("sample vae-prior", s.count())) {
            UInt8Images images = vae.sample(s.count(), s.batchSize(), config.seed(), bar::stepTo);
            SampleFiles.write(layout.baselineSamples(), images, null, s.gridCount());
        }
    }

    /** Scores the LDM's samples and the baseline's with the dataset's cached feature network. */
    private void evaluate() throws IOException {
        ObjectNode out = Json.MAPPER.createObjectNode();
        Dataset d = data();
        try (FeatureNetwork net = FeatureNetworks.atDefaultLocation().open(d, ClassifierConfig.forData(d.info()),
                ClassifierTrainingConfig.defaults().withSteps(config.eval().classifierSteps()), device)) {
            out.put("feature_network", net.checkpoint().toString());
            out.put("feature_network_test_accuracy", net.testAccuracy());
            SampleEvaluator evaluator = new SampleEvaluator(net, data());
            out.set("ldm", Json.MAPPER.valueToTree(scoreSamples(evaluator, layout.samples())));
            if (config.baseline().enabled() && Files.isDirectory(layout.baselineSamples())) {
                out.set("vae_prior", Json.MAPPER.valueToTree(scoreSamples(evaluator, layout.baselineSamples())));
            }
        }
        Json.write(layout.eval().resolve("metrics.json"), out);
    }

    private SampleMetrics scoreSamples(SampleEvaluator evaluator, Path dir) throws IOException {
        var info = data().info();
        UInt8Images samples = SampleFiles.read(dir.resolve(SampleFiles.SAMPLES), info.channels(), info.height(),
                info.width());
        Path labels = dir.resolve(SampleFiles.LABELS);
        int[] requested = Files.exists(labels) ? SampleFiles.readLabels(labels, samples.count()) : null;
        SampleMetrics m = evaluator.evaluate(samples, requested);
        LOG.info("{}:%n{}".replace("%n", System.lineSeparator()), dir, m.summary());
        return m;
    }

}
