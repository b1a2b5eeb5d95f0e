package ldm4j.cli;

import ai.djl.Device;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import ldm4j.cli.options.EngineOptions;
import ldm4j.cli.options.Verbosity;
import ldm4j.core.InputException;
import ldm4j.core.data.Dataset;
import ldm4j.pipeline.eval.ClassifierSummary;
import ldm4j.pipeline.eval.ClassifierTrainingConfig;
import ldm4j.pipeline.stage.ClassifierStage;
import ldm4j.pipeline.stage.DataStage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ldm4j train-classifier}: trains (or reuses) the feature network used by every evaluation. */
@Command(
        name = "train-classifier",
        mixinStandardHelpOptions = true,
        description = {
            "Train the small CNN classifier whose 128-d penultimate features are ldm4j's feature space "
                    + "for FD and precision/recall (no Inception weights offline), and print its test accuracy.",
            "Without --out the network goes to the cache ($LDM4J_CACHE/classifiers/), where evaluation "
                    + "looks for it; a cached one is reused."
        })
public final class TrainClassifierCommand implements Callable<Integer> {
    @Mixin
    Verbosity verbosity;

    @Mixin
    EngineOptions engine;

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "NAME|SPEC",
            description = "Labelled dataset: fashion-mnist, mnist or a spec (see `ldm4j data --help`).")
    String data;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Write train-log.csv and checkpoint/ here instead of the cache (default: the cache).")
    Path out;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "" + ClassifierTrainingConfig.DEFAULT_STEPS,
            description = "Optimizer steps (default: ${DEFAULT-VALUE}).")
    long steps;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "" + ClassifierTrainingConfig.DEFAULT_BATCH_SIZE,
            description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", paramLabel = "X", defaultValue = "" + ClassifierTrainingConfig.DEFAULT_LR,
            description = "Peak learning rate of the warm-up + cosine schedule (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--hflip", description = "Random horizontal flips while training; fine for clothes and "
            + "photos, wrong for digits (default: ${DEFAULT-VALUE}).")
    boolean hflip;

    @Override
    public Integer call() throws Exception {
        if (steps <= 0 || batchSize <= 0 || !(lr > 0) || Double.isInfinite(lr)) {
            throw new InputException("--steps and --batch-size must be at least 1 and --lr positive, got "
                    + steps + ", " + batchSize + ", " + lr);
        }
        ClassifierTrainingConfig training = ClassifierTrainingConfig.of(steps, batchSize, lr, engine.seed())
                .withHflip(hflip);
        Device device = engine.start();
        Dataset dataset = DataStage.open(data);
        PrintWriter stdout = spec.commandLine().getOut();
        ClassifierStage.Output trained = ClassifierStage.run(dataset, training, out, device);
        ClassifierSummary summary = trained.summary();
        if (out != null) {
            stdout.println("classifier written to " + out);
        } else {
            stdout.println((trained.reused() ? "reusing the cached feature network in " : "feature network cached in ")
                    + summary.directory());
        }
        stdout.println(String.format(Locale.ROOT, "test accuracy %.2f%% (%,d test images), %,d steps%s",
                100 * summary.testAccuracy(), dataset.info().testSize(), summary.steps(),
                Double.isNaN(summary.trainSeconds()) ? "" : String.format(Locale.ROOT,
                        ", %.1f s of training, %.0f img/s", summary.trainSeconds(), summary.imagesPerSecond())));
        stdout.flush();
        return 0;
    }
}
