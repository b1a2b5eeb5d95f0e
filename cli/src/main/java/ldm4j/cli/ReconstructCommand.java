package ldm4j.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import ldm4j.autoencoder.train.AutoencoderCheckpoint;
import ldm4j.autoencoder.train.AutoencoderMetrics;
import ldm4j.autoencoder.train.Reconstructions;
import ldm4j.cli.options.EngineOptions;
import ldm4j.cli.options.Verbosity;
import ldm4j.core.InputException;
import ldm4j.core.data.DataView;
import ldm4j.core.data.Split;
import ldm4j.pipeline.stage.DataStage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ldm4j reconstruct}: originals above reconstructions, with their PSNR and SSIM, and the
 * scored pixels as .npy so that any other tool can check the numbers.
 */
@Command(
        name = "reconstruct",
        mixinStandardHelpOptions = true,
        description = "Reconstruct N images of a split (a fixed seeded draw) with a trained autoencoder: write a PNG (originals"
                + " on top, reconstructions below) and the scored uint8 pixels as STEM-originals.npy and"
                + " STEM-reconstructions.npy next to it, and print their PSNR and SSIM (scikit-image's convention:"
                + " per image, data range 255, Gaussian window σ 1.5, then the mean).")
public final class ReconstructCommand implements Callable<Integer> {
    @Mixin
    Verbosity verbosity;

    @Mixin
    EngineOptions engine;

    @Spec
    CommandSpec spec;

    @Option(names = "--ae", required = true, paramLabel = "DIR",
            description = "Autoencoder checkpoint directory, e.g. OUT/checkpoint of train-ae (required).")
    Path ae;

    @Option(names = "--data", required = true, paramLabel = "NAME|SPEC", description = "Dataset name or spec (required).")
    String data;

    @Option(names = "--n", paramLabel = "N", defaultValue = "16", description = "Images (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--split", paramLabel = "train|test|all", defaultValue = "test",
            description = "Split to take the images from (default: ${DEFAULT-VALUE}).")
    Split split;

    @Option(names = "--scale", paramLabel = "S", defaultValue = "2",
            description = "Integer upscaling of each image in the PNG (default: ${DEFAULT-VALUE}).")
    int scale;

    @Option(names = "--out", required = true, paramLabel = "STEM.png",
            description = "The PNG to write (required); STEM-originals.npy and STEM-reconstructions.npy go next to it.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (n <= 0) {
            throw new InputException("--n " + n + ": must be at least 1");
        }
        if (scale <= 0 || scale > 16) {
            throw new InputException("--scale " + scale + ": must be between 1 and 16");
        }
        Device device = engine.start();
        DataView view = DataStage.open(data).view(split);
        try (NDManager root = NDManager.newBaseManager(device)) {
            AutoencoderCheckpoint ckpt = AutoencoderCheckpoint.load(ae, root);
            Reconstructions.Scored scored = Reconstructions.score(ckpt.model(), view, n, 64, root);
            Reconstructions.writePng(out, scored, scale);
            Path[] npy = Reconstructions.writeNpy(out, scored);
            AutoencoderMetrics m = scored.metrics();
            PrintWriter o = spec.commandLine().getOut();
            o.printf("PSNR %.4f dB, SSIM %.4f over %d %s images (uint8 pixels, data range 255)%n", m.psnr(), m.ssim(),
                    m.images(), split);
            o.printf("wrote %s (%d originals above their reconstructions)%n", out, scored.count());
            o.printf("wrote %s and %s (the uint8 N×C×H×W pixels scored)%n", npy[0], npy[1]);
            o.flush();
        }
        return 0;
    }
}
