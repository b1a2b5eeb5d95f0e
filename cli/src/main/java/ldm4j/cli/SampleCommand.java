package ldm4j.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import ldm4j.cli.options.EngineOptions;
import ldm4j.cli.options.Verbosity;
import ldm4j.core.InputException;
import ldm4j.core.io.ImageGrid;
import ldm4j.core.io.ImageIo;
import ldm4j.core.io.Npy;
import ldm4j.core.io.NpyArray;
import ldm4j.core.progress.Progress;
import ldm4j.diffusion.generate.GenerateConfig;
import ldm4j.diffusion.generate.Generator;
import ldm4j.diffusion.sampler.Sampler;
import ldm4j.diffusion.sampler.TimestepSpacing;
import ldm4j.diffusion.train.DiffusionCheckpoint;
import ldm4j.diffusion.unet.UNet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ldm4j sample}: images from a pixel-space diffusion checkpoint (EMA weights). */
@Command(
        name = "sample",
        mixinStandardHelpOptions = true,
        description = {
            "Draw images from a train-ldm run with its EMA weights: DIR/grid.png and DIR/samples.npy "
                    + "(uint8 N×C×H×W).",
            "Latent-space runs need the autoencoder's decoder (--ae), which comes with the pipeline."
        })
public final class SampleCommand implements Callable<Integer> {
    @Mixin
    Verbosity verbosity;

    @Mixin
    EngineOptions engine;

    @Spec
    CommandSpec spec;

    @Option(names = "--ldm", required = true, paramLabel = "DIR", description = "A train-ldm run or checkpoint directory (required).")
    Path ldm;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where grid.png and samples.npy go (required).")
    Path out;

    @Option(names = "--n", paramLabel = "N", defaultValue = "64", description = "Number of images (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--sampler", paramLabel = "ddpm|ddim|dpm++2m", defaultValue = "ddim",
            description = "Sampling algorithm (default: ${DEFAULT-VALUE}).")
    String sampler;

    @Option(names = "--steps", paramLabel = "S", defaultValue = "50", description = "Sampler steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--eta", paramLabel = "η", defaultValue = "0", description = "DDIM's η; 0 is deterministic (default: ${DEFAULT-VALUE}).")
    double eta;

    @Option(names = "--spacing", paramLabel = "uniform|trailing", defaultValue = "uniform",
            description = "Which of the T steps are visited (default: ${DEFAULT-VALUE}).")
    String spacing;

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
        DiffusionCheckpoint ckpt = DiffusionCheckpoint.read(ldm);
        if (ckpt.latent()) {
            throw new InputException(ckpt.dir() + " is a latent-space model: decoding its samples needs the "
                    + "autoencoder (--ae), which arrives with the pipeline; sample a pixel-space run (--data) here");
        }
        GenerateConfig cfg;
        try {
            cfg = new GenerateConfig(n, batchSize, Sampler.fromString(sampler), steps, eta,
                    TimestepSpacing.fromString(spacing), classLabel, guidance, engine.seed());
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage(), e);
        }
        Device device = engine.start();
        long[] shape = ckpt.state().shape();
        float[] samples;
        try (NDManager root = NDManager.newBaseManager(device)) {
            UNet unet = ckpt.loadEmaUNet(root);
            long total = (long) steps * ((n + batchSize - 1) / batchSize);
            try (Progress bar = Progress.start("sample", total)) {
                samples = Generator.generate(unet, ckpt.config().predictionType(), ckpt.config().noiseSchedule(),
                        shape, cfg, root, bar::stepTo);
            }
        }
        byte[] pixels = ImageIo.toUint8(samples);
        Files.createDirectories(out);
        Npy.write(out.resolve("samples.npy"), NpyArray.ofUint8(pixels, n, shape[0], shape[1], shape[2]));
        ImageGrid.write(out.resolve("grid.png"), pixels, n, (int) shape[0], (int) shape[1], (int) shape[2],
                ImageGrid.Options.defaults().withNrow((int) Math.ceil(Math.sqrt(n))).withScale(2));
        spec.commandLine().getOut().printf("wrote %d samples (%d×%d×%d) to %s%n", n, shape[0], shape[1], shape[2], out);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
