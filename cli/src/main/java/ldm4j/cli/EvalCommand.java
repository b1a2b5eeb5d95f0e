package ldm4j.cli;

import ai.djl.Device;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import ldm4j.cli.options.EngineOptions;
import ldm4j.cli.options.Verbosity;
import ldm4j.core.InputException;
import ldm4j.core.data.Dataset;
import ldm4j.core.io.Json;
import ldm4j.pipeline.SampleFiles;
import ldm4j.pipeline.eval.ClassifierTrainingConfig;
import ldm4j.pipeline.eval.SampleMetrics;
import ldm4j.pipeline.stage.DataStage;
import ldm4j.pipeline.stage.EvalStage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ldm4j eval}: scores a file of generated images against a dataset's test split. */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description = {
            "Score generated images (uint8 N×C×H×W or N×H×W×C .npy) against the test split of a dataset: "
                    + "FD and precision/recall (k = 3) in the feature space of ldm4j's classifier, class accuracy "
                    + "of conditional samples, the share of samples the classifier cannot place (top class "
                    + "probability below 0.5), sharpness relative to real images. Prints them and writes "
                    + "metrics.json.",
            "The classifier comes from the cache; when there is none for the dataset yet, it is trained first."
        })
public final class EvalCommand implements Callable<Integer> {
    /** The file the metrics go to. */
    public static final String METRICS = "metrics.json";

    @Mixin
    Verbosity verbosity;

    @Mixin
    EngineOptions engine;

    @Spec
    CommandSpec spec;

    @Option(names = "--samples", required = true, paramLabel = "FILE.npy",
            description = "Generated images, uint8 N×C×H×W or N×H×W×C (required).")
    Path samples;

    @Option(names = "--data", required = true, paramLabel = "NAME|SPEC",
            description = "The dataset whose test split is the reference (required).")
    String data;

    @Option(names = "--classes", paramLabel = "FILE.npy",
            description = "The class each sample was asked to be, int32 N (default: labels.npy next to the "
                    + "samples when there is one, else no class accuracy).")
    Path classes;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where metrics.json goes (default: the samples' folder).")
    Path out;

    @Option(names = "--classifier", paramLabel = "DIR",
            description = "A train-classifier --out folder to take features from (default: the cached network "
                    + "for the dataset).")
    Path classifier;

    @Option(names = "--classifier-steps", paramLabel = "N", defaultValue = "" + ClassifierTrainingConfig.DEFAULT_STEPS,
            description = "Training steps of the cached network to use, trained first when missing "
                    + "(default: ${DEFAULT-VALUE}).")
    long classifierSteps;

    @Override
    public Integer call() throws Exception {
        if (classifierSteps <= 0) {
            throw new InputException("--classifier-steps must be at least 1, got " + classifierSteps);
        }
        PrintWriter stdout = spec.commandLine().getOut();
        Dataset dataset = DataStage.open(data);
        Path sibling = samples.toAbsolutePath().getParent().resolve(SampleFiles.LABELS);
        boolean useSibling = classes == null && Files.isRegularFile(sibling);
        EvalStage.Samples scored = EvalStage.read("samples", samples, useSibling ? sibling : classes,
                dataset.info());
        if (useSibling) {
            stdout.println("using the requested classes in " + sibling);
        }
        Path dir = out != null ? out : samples.toAbsolutePath().getParent();
        Files.createDirectories(dir); // before the evaluation, which may train a network first
        Device device = engine.start();
        EvalStage.Features features = classifier != null ? new EvalStage.Folder(classifier)
                : new EvalStage.Cached(classifierSteps);
        SampleMetrics metrics = EvalStage.run(dataset, features, List.of(scored), device, note -> {
            stdout.println(note);
            stdout.flush();
        }).metrics().get("samples");
        Json.write(dir.resolve(METRICS), metrics);
        stdout.println(metrics.summary());
        stdout.println("metrics written to " + dir.resolve(METRICS));
        stdout.flush();
        return 0;
    }
}
