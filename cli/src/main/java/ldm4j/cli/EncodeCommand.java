package ldm4j.cli;

import ai.djl.Device;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import ldm4j.autoencoder.latent.LatentMode;
import ldm4j.cli.options.EngineOptions;
import ldm4j.cli.options.Verbosity;
import ldm4j.core.InputException;
import ldm4j.core.data.Dataset;
import ldm4j.core.data.LatentSet;
import ldm4j.pipeline.stage.DataStage;
import ldm4j.pipeline.stage.EncodeStage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ldm4j encode}: a dataset's latents for stage 2. */
@Command(
        name = "encode",
        mixinStandardHelpOptions = true,
        description = "Encode both splits of a dataset with a trained autoencoder into a latent directory"
                + " (unscaled latents, labels, and the checkpoint's scale factor) for diffusion training.")
public final class EncodeCommand implements Callable<Integer> {
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

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Latent directory to write (required).")
    Path out;

    @Option(names = "--mode", paramLabel = "mean|sample", defaultValue = "mean",
            description = "Posterior mean or one seeded posterior sample per image (default: ${DEFAULT-VALUE}).")
    LatentMode mode;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "64",
            description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Override
    public Integer call() throws Exception {
        if (batchSize <= 0) {
            throw new InputException("--batch-size " + batchSize + ": must be at least 1");
        }
        // A dense autoencoder's latent is a vector: refused before any data is opened.
        EncodeStage.requireEncodable(ae);
        Device device = engine.start();
        Dataset dataset = DataStage.open(data);
        EncodeStage.Output encoded = EncodeStage.run(
                new EncodeStage.Input(ae, dataset, data, mode, batchSize, engine.seed(), out), device);
        LatentSet.Header h = encoded.latents().header();
        PrintWriter o = spec.commandLine().getOut();
        o.printf("wrote %s: %d train + %d test latents of %d×%d×%d (%s), scale factor %.5f, %.0f img/s%n", out,
                h.trainCount(), h.testCount(), h.channels(), h.height(), h.width(), h.mode(), h.scaleFactor(),
                encoded.imagesPerSecond());
        o.flush();
        return 0;
    }
}
