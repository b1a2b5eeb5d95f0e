package ldm4j.pipeline.experiment;

import ai.djl.Device;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ldm4j.autoencoder.train.Reconstructions;
import ldm4j.core.data.Dataset;
import ldm4j.core.io.AtomicFiles;
import ldm4j.core.io.Json;
import ldm4j.diffusion.generate.GenerateConfig;
import ldm4j.diffusion.train.DataSpace;
import ldm4j.pipeline.RunLayout;
import ldm4j.pipeline.eval.SampleMetrics;
import ldm4j.pipeline.stage.AutoencoderStage;
import ldm4j.pipeline.stage.BaselineStage;
import ldm4j.pipeline.stage.DataStage;
import ldm4j.pipeline.stage.DiffusionStage;
import ldm4j.pipeline.stage.EncodeStage;
import ldm4j.pipeline.stage.EvalStage;
import ldm4j.pipeline.stage.ProgressPoints;
import ldm4j.pipeline.stage.SampleStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ldm4j run}: data → autoencoder → encode → diffusion → samples → pixel-VAE baseline →
 * evaluation → summary, each stage writing into the run directory ({@link RunLayout}).
 *
 * <p>This class only says which stages a run config makes ({@link #plans}) and which stage class
 * each one calls; {@link RunDriver} runs them. A stage that finished is skipped on the next
 * invocation while the config it was made from is unchanged, so a killed run resumes where it
 * stopped; the two training stages also resume from their last checkpoint inside the stage. A stage
 * whose config changed since (or one of whose inputs is made again) runs again, with every stage
 * that reads it; {@link RunPlan} says how, and when a training stage can continue from its checkpoint
 * rather than start over. {@code force} redoes every stage.
 */
public final class EndToEndRun {
    private static final Logger LOG = LoggerFactory.getLogger(EndToEndRun.class);

    private EndToEndRun() {}

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
        return run(RunConfig.read(configFile), configFile, runDir, force, device);
    }

    /**
     * {@link #run(Path, Path, boolean, Device)} with the config already read.
     *
     * @param configFile the file {@code config} was read from: copied into the run directory, named in errors
     */
    public static RunSummary run(RunConfig config, Path configFile, Path runDir, boolean force, Device device)
            throws IOException {
        RunLayout layout = new RunLayout(runDir);
        Files.createDirectories(runDir);
        if (force) {
            for (Path p : new Path[] {layout.autoencoder(), layout.latents(), layout.diffusion(), layout.samples(),
                layout.baseline(), layout.eval()}) {
                AtomicFiles.deleteRecursively(p);
            }
        }
        RunConfig measured = config;
        if (config.unetBudget() == null) {
            AtomicFiles.writeBytes(layout.config(), Files.readAllBytes(configFile));
        } else {
            // Seconds become steps once, kept in the run's config.yaml (a resumed run is not measured again).
            String spec = config.data();
            measured = ThroughputProbe.write((ObjectNode) Json.readYamlTree(configFile), layout.config(),
                    () -> DataStage.open(spec).info(), ThroughputProbe.timing(device));
        }
        RunConfig run = measured;
        return RunDriver.run(new RunDriver.Run(run.name(), run.data(), layout), force,
                () -> DataStage.open(run.data()), data -> plans(run, data, layout, device));
    }

    /**
     * The stages {@code config} makes, in run order, each calling its stage class of {@code
     * ldm4j.pipeline.stage} with inputs resolved against the open dataset.
     *
     * @param data the run's dataset, open
     * @param layout where the run's stages write
     */
    public static List<StagePlan> plans(RunConfig config, Dataset data, RunLayout layout, Device device) {
        StageInputs inputs = StageInputs.resolve(config, data.info());
        Map<Stage, StageInput> in = inputs.byStage();
        SampleSettings s = config.sample();
        List<StagePlan> plans = new ArrayList<>();

        AutoencoderStage.Input autoencoder = new AutoencoderStage.Input(inputs.autoencoder(), data, config.data(),
                layout.autoencoder());
        boolean latent = config.space() == DataSpace.LATENT;
        if (latent) {
            plans.add(new StagePlan(Stage.AUTOENCODER, in.get(Stage.AUTOENCODER), List.of(layout.autoencoder()),
                    List.of(), () -> AutoencoderStage.trainOrContinue(autoencoder, device)));

            EncodeStage.Input encode = new EncodeStage.Input(autoencoder.checkpoint(), data, config.data(),
                    config.encode().mode(), config.encode().batchSize(),
                    config.seed(), layout.latents());
            plans.add(StagePlan.of(Stage.ENCODE, in.get(Stage.ENCODE), layout.latents(),
                    () -> EncodeStage.run(encode, device)));
        }

        // Noise → latents → images with the trained pair (or → pixels at f = 1): the run's samples for
        // the grid and the eval, and the model the progress points draw from during training.
        GenerateConfig g = new GenerateConfig(s.count(), s.batchSize(), s.sampler(), s.steps(),
                s.eta(), s.spacing(), null, s.guidance(), config.seed());
        SampleStage.Model model = latent ? new SampleStage.Latent(autoencoder.checkpoint(), layout.diffusion(), g)
                : new SampleStage.Pixel(layout.diffusion(), g);
        EvalStage.Features features = new EvalStage.Cached(config.eval().classifierSteps());

        DiffusionStage.Input diffusion = latent
                ? new DiffusionStage.Input(inputs.diffusion(), new DiffusionStage.Latents(layout.latents()),
                        layout.diffusion(), autoencoder.checkpoint())
                : new DiffusionStage.Input(inputs.diffusion(), new DiffusionStage.Pixels(config.data(), data),
                        layout.diffusion(), null);
        ProgressPoints.Input progress = config.progressPoints() == 0 ? null : new ProgressPoints.Input(model, data,
                features, layout.diffusion().resolve(ProgressPoints.DIR), inputs.diffusion().steps(),
                config.progressPoints(), s.gridCount());
        plans.add(new StagePlan(Stage.DIFFUSION, in.get(Stage.DIFFUSION), List.of(layout.diffusion()), List.of(),
                () -> DiffusionStage.trainOrContinue(diffusion, device, progress == null ? List.of() : progress.steps(),
                        progress == null ? null : step -> ProgressPoints.at(progress, step, device))));

        plans.add(StagePlan.of(Stage.SAMPLE, in.get(Stage.SAMPLE), layout.samples(),
                () -> SampleStage.run(model, "sample", layout.samples(), null, s.gridCount(), device)));

        List<Scored> scored = new ArrayList<>(List.of(new Scored(LDM, layout.samples())));
        if (inputs.baselineAutoencoder() != null) {
            // The textbook VAE (β = 1, NLL) with the same architecture, sampled from its N(0, I) prior.
            BaselineStage.Input baseline = new BaselineStage.Input(VAE_PRIOR, new AutoencoderStage.Input(
                    inputs.baselineAutoencoder(), data, config.data(), layout.baselineAutoencoder()),
                    layout.baselineSamples(), s.count(), s.batchSize(), config.seed(), s.gridCount());
            plans.add(new StagePlan(Stage.BASELINE, in.get(Stage.BASELINE), List.of(layout.baseline()),
                    List.of(layout.baselineSamples()), () -> BaselineStage.run(baseline, device)));
            scored.add(new Scored(VAE_PRIOR, layout.baselineSamples()));
        }
        if (config.eval().enabled()) {
            // The compressor's own N(0, I) prior, decoded: what sampling it like a VAE gives (the seed's
            // "bumpy latent"); drawn inside the eval, so it needs no stage of its own. At f = 1 there is none.
            SampleStage.VaePrior ownPrior = latent ? new SampleStage.VaePrior(layout.autoencoderCheckpoint(),
                    data.info().height(), data.info().width(), s.count(), s.batchSize(), config.seed()) : null;
            Map<String, Path> autoencoders = reconstructed(layout);
            if (!latent) {
                autoencoders.remove("autoencoder");
            }
            plans.add(StagePlan.of(Stage.EVAL, in.get(Stage.EVAL), layout.eval(),
                    () -> evaluate(data, features, scored, ownPrior, s.gridCount(), autoencoders,
                            layout.eval(), device)));
        }
        return plans;
    }

    /** The evaluation's name of the run's latent diffusion samples. */
    static final String LDM = "ldm";
    /** The evaluation's name of the baseline VAE's prior samples. */
    static final String VAE_PRIOR = "vae_prior";
    /** The evaluation's name of the compressor's own prior samples, and their folder under eval/. */
    static final String AE_PRIOR = "autoencoder_prior";

    /**
     * Samples the eval stage scores.
     *
     * @param key their name in eval/metrics.json
     * @param dir the folder the stage that drew them wrote
     */
    record Scored(String key, Path dir) {}

    /** Test images each autoencoder of the run reconstructs for its rFD. */
    static final int RFD_IMAGES = 1000;

    /** The run's autoencoders whose rFD the eval reports, by key: the compressor and the baseline. */
    private static Map<String, Path> reconstructed(RunLayout layout) {
        Map<String, Path> out = new LinkedHashMap<>();
        out.put("autoencoder", layout.autoencoderCheckpoint());
        out.put("baseline", layout.baselineAutoencoderCheckpoint());
        return out;
    }

    /**
     * Scores the LDM's samples, each baseline's and the compressor's own prior samples (drawn here,
     * into {@code eval/autoencoder_prior/}) with the dataset's cached feature network, and each
     * autoencoder's reconstructions of a seeded draw of {@value #RFD_IMAGES} test images (rFD;
     * {@link ldm4j.autoencoder.train.AutoencoderEvaluator#subset}).
     *
     * @param ownPrior the compressor's prior, or null where there is no compressor (an ablation's shared baseline)
     */
    static void evaluate(Dataset data, EvalStage.Features features, List<Scored> scored,
            SampleStage.VaePrior ownPrior, int gridMax, Map<String, Path> autoencoders, Path out, Device device)
            throws IOException {
        List<EvalStage.Samples> samples = new ArrayList<>();
        for (Scored s : scored) {
            if (Files.isDirectory(s.dir())) {
                samples.add(EvalStage.read(s.key(), s.dir(), data.info()));
            }
        }
        List<Scored> all = new ArrayList<>(scored);
        if (ownPrior != null && Files.isDirectory(ownPrior.autoencoder())) {
            Path dir = out.resolve(AE_PRIOR);
            SampleStage.Output prior = SampleStage.run(ownPrior, "autoencoder prior", dir, null, gridMax, device);
            samples.add(new EvalStage.Samples(AE_PRIOR, prior.images(), null));
            all.add(new Scored(AE_PRIOR, dir));
        }
        List<EvalStage.Reconstructed> reconstructions = new ArrayList<>();
        int n = Math.min(RFD_IMAGES, data.test().size());
        for (Map.Entry<String, Path> ae : autoencoders.entrySet()) {
            if (n >= 2 && Files.isDirectory(ae.getValue())) {
                Reconstructions.Scored r = AutoencoderStage.reconstructTest(ae.getValue(), data, n, device);
                reconstructions.add(new EvalStage.Reconstructed(ae.getKey(), r.originals(), r.reconstructions()));
            }
        }
        EvalStage.Output scores = EvalStage.run(data, features, samples, reconstructions, device, LOG::debug);
        ObjectNode metrics = Json.MAPPER.createObjectNode();
        metrics.put("feature_network", scores.featureNetwork().toString());
        metrics.put("feature_network_test_accuracy", scores.testAccuracy());
        if (!scores.reconstructionFd().isEmpty()) {
            ObjectNode rfd = metrics.putObject("reconstruction_fd");
            rfd.put("images", n);
            scores.reconstructionFd().forEach((key, v) -> {
                rfd.put(key, v);
                LOG.info("{} rFD ({} seeded test images against their reconstructions): {}", key, n,
                        String.format(Locale.ROOT, "%.3f", v));
            });
        }
        for (Scored s : all) {
            SampleMetrics m = scores.metrics().get(s.key());
            if (m != null) {
                LOG.info("{}:%n{}".replace("%n", System.lineSeparator()), s.dir(), m.summary());
                metrics.set(s.key(), Json.MAPPER.valueToTree(m));
            }
        }
        Json.write(out.resolve("metrics.json"), metrics);
    }
}
