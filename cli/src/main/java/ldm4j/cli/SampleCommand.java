package ldm4j.cli;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import ldm4j.cli.options.EngineOptions;
import ldm4j.cli.options.Verbosity;
import ldm4j.core.InputException;
import ldm4j.core.data.Dataset;
import ldm4j.core.data.DatasetInfo;
import ldm4j.core.data.UInt8Images;
import ldm4j.diffusion.generate.GenerateConfig;
import ldm4j.diffusion.sampler.Sampler;
import ldm4j.diffusion.sampler.TimestepSpacing;
import ldm4j.pipeline.PixelVaeSampler;
import ldm4j.pipeline.RunLayout;
import ldm4j.pipeline.SampleFiles;
import ldm4j.pipeline.stage.SampleStage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ldm4j sample}: images from a trained model. Four forms: {@code --run DIR} or {@code --ae DIR
 * --ldm DIR} (latent diffusion through the autoencoder's decoder), {@code --ldm DIR} alone (a
 * pixel-space diffusion model) and {@code --vae-prior --ae DIR} (the VAE's prior, the baseline).
 */
@Command(
        name = "sample",
        mixinStandardHelpOptions = true,
        description = {
            "Draw images and write OUT/grid.png, OUT/samples.npy (uint8 N×C×H×W) and, when classes were "
                    + "requested, OUT/labels.npy (int32).",
            "Latent diffusion: --run DIR (an `ldm4j run` directory) or --ae DIR --ldm DIR. Pixel-space "
                    + "diffusion: --ldm DIR. VAE baseline: --vae-prior --ae DIR (z ~ N(0, I) → decoder)."
        })
public final class SampleCommand implements Callable<Integer> {
    @Mixin
    Verbosity verbosity;

    @Mixin
    EngineOptions engine;

    @Spec
    CommandSpec spec;

    @Option(names = "--ldm", paramLabel = "DIR",
            description = "A train-ldm run or checkpoint directory; a latent-space one needs --ae (default: none).")
    Path ldm;

    @Option(names = "--ae", paramLabel = "DIR",
            description = "A train-ae run or checkpoint directory: the decoder of --ldm's latents, or with "
                    + "--vae-prior the VAE to sample (default: none).")
    Path ae;

    @Option(names = "--run", paramLabel = "DIR",
            description = "An end-to-end run directory holding autoencoder/checkpoint and diffusion/checkpoint "
                    + "(default: none).")
    Path run;

    @Option(names = "--vae-prior",
            description = "Sample the autoencoder's N(0, I) prior through its decoder instead of diffusion; "
                    + "meaningful for a β = 1 VAE (default: ${DEFAULT-VALUE}).")
    boolean vaePrior;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "1",
            description = "With --vae-prior: z ~ N(0, T^2 I); T < 1 gives cleaner, less varied samples, 0 decodes z = 0"
                    + " for every sample (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--data", paramLabel = "NAME|SPEC",
            description = "With --vae-prior: the dataset whose image size to sample at (default: the data "
                    + "the autoencoder was trained on).")
    String data;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Where grid.png, samples.npy and labels.npy go (required).")
    Path out;

    @Option(names = "--png-dir", paramLabel = "DIR",
            description = "Also write each image as DIR/00000.png, … (default: none).")
    Path pngDir;

    @Option(names = "--n", paramLabel = "N", defaultValue = "64", description = "Number of images (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--grid-count", paramLabel = "G", defaultValue = "100",
            description = "Images shown in grid.png, the first G of N; samples.npy keeps all N (default: ${DEFAULT-VALUE}).")
    int gridCount;

    @Option(names = "--sampler", paramLabel = "ddpm|ddim|dpm++2m", defaultValue = "ddim",
            description = "Sampling algorithm (default: ${DEFAULT-VALUE}).")
    Sampler sampler;

    @Option(names = "--steps", paramLabel = "S", defaultValue = "50", description = "Sampler steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--eta", paramLabel = "η", defaultValue = "0", description = "DDIM's η; 0 is deterministic (default: ${DEFAULT-VALUE}).")
    double eta;

    @Option(names = "--spacing", paramLabel = "uniform|trailing", defaultValue = "uniform",
            description = "Which of the T steps are visited (default: ${DEFAULT-VALUE}).")
    TimestepSpacing spacing;

    @Option(names = "--class", paramLabel = "K", description = "Class of every image for a class-conditional "
            + "model (default: cycle through the classes).")
    Integer classLabel;

    @Option(names = "--guidance", paramLabel = "W", defaultValue = "1",
            description = "Classifier-free guidance scale; 1 = plain conditional (default: ${DEFAULT-VALUE}).")
    double guidance;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "64", description = "Images per sampler call (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Override
    public Integer call() throws Exception {
        if (gridCount < 1) {
            throw new InputException("--grid-count must be at least 1, got " + gridCount);
        }
        if (vaePrior) {
            if (ae == null || ldm != null || run != null) {
                throw new InputException(
                        "--vae-prior samples an autoencoder: give --ae DIR and neither --ldm nor --run");
            }
            return samplePrior();
        }
        if (data != null) {
            throw new InputException("--data only applies to --vae-prior (the image size of the prior's samples)");
        }
        if (spec.commandLine().getParseResult().hasMatchedOption("--temperature")) {
            throw new InputException("--temperature only applies to --vae-prior (the prior's standard deviation)");
        }
        if (run != null && (ae != null || ldm != null)) {
            throw new InputException("give either --run DIR or --ae DIR --ldm DIR, not both");
        }
        if (run == null && ldm == null) {
            throw new InputException(
                    "give --run DIR, --ae DIR --ldm DIR, --ldm DIR (pixel space) or --vae-prior --ae DIR");
        }
        GenerateConfig cfg = generateConfig();
        if (run != null || ae != null) {
            return sampleLatent(cfg);
        }
        return samplePixels(cfg);
    }

    private GenerateConfig generateConfig() {
        try {
            return new GenerateConfig(n, batchSize, sampler, steps, eta,
                    spacing, classLabel, guidance, engine.seed());
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage(), e);
        }
    }

    private int sampleLatent(GenerateConfig cfg) throws Exception {
        Device device = engine.start();
        return written(SampleStage.draw(run != null ? new SampleStage.Run(run, cfg)
                : new SampleStage.Latent(ae, ldm, cfg), "sample", device));
    }

    private int samplePrior() throws Exception {
        if (n <= 0 || batchSize <= 0) {
            throw new InputException("--n and --batch-size must be at least 1, got " + n + " and " + batchSize);
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new InputException("--temperature " + temperature + ": must be finite and >= 0");
        }
        String dataSpec = data != null ? data : PixelVaeSampler.trainingData(ae);
        if (dataSpec == null) {
            throw new InputException(RunLayout.locateAutoencoder(ae) + " does not record its training data; "
                    + "give --data NAME|SPEC for the image size");
        }
        DatasetInfo info = Dataset.info(dataSpec);
        Device device = engine.start();
        UInt8Images images = SampleStage.draw(new SampleStage.VaePrior(ae, info.height(), info.width(), n,
                batchSize, engine.seed(), temperature), "sample", device);
        spec.commandLine().getOut().printf("prior samples at temperature %s: z ~ N(0, %s^2 I)%n", temperature,
                temperature);
        return written(images);
    }

    private int samplePixels(GenerateConfig cfg) throws Exception {
        Device device = engine.start();
        return written(SampleStage.draw(new SampleStage.Pixel(ldm, cfg), "sample", device));
    }

    private int written(UInt8Images images) throws Exception {
        SampleFiles.write(out, images, pngDir, gridCount);
        spec.commandLine().getOut().printf("wrote %d samples (%d×%d×%d) to %s%s%n", images.count(), images.channels(),
                images.height(), images.width(), out, images.labelled() && images.label(0) >= 0
                        ? " with their classes in " + SampleFiles.LABELS : "");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
