package ldm4j.cli;

import ai.djl.Device;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import ldm4j.cli.options.EngineOptions;
import ldm4j.cli.options.Verbosity;
import ldm4j.core.InputException;
import ldm4j.core.data.Dataset;
import ldm4j.pipeline.RunLayout;
import ldm4j.pipeline.eval.ClassifierTrainingConfig;
import ldm4j.pipeline.experiment.Comparison;
import ldm4j.pipeline.experiment.RunConfig;
import ldm4j.pipeline.stage.DataStage;
import ldm4j.pipeline.stage.EvalStage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ldm4j compare --run RUN --vae AE [--vae AE ...]}: latent diffusion against VAE priors. */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        description = {
            "Sample the same number of images from a run's latent diffusion pair and from each VAE's N(0, τ²I) prior,"
                    + " score them all with the same feature network, and write OUT/report/index.html: side-by-side"
                    + " grids, FD with 95%% intervals, precision/recall, class accuracy, the unplaceable share,"
                    + " sharpness, and what each model cost to train (wall time, img/s) and to sample.",
            "The run's pair samples with the run's own sampler settings and classes; the VAEs unconditionally."
        })
public final class CompareCommand implements Callable<Integer> {
    @Mixin
    Verbosity verbosity;

    @Mixin
    EngineOptions engine;

    @Spec
    CommandSpec spec;

    @Option(names = "--run", required = true, paramLabel = "DIR", description = "A finished `ldm4j run` directory.")
    Path run;

    @Option(names = "--vae", required = true, paramLabel = "DIR",
            description = "A train-ae run or checkpoint directory to sample from its prior; repeat for several.")
    List<Path> vaes = new ArrayList<>();

    @Option(names = "--n", paramLabel = "N", defaultValue = "1000",
            description = "Samples from each model (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "100",
            description = "VAE samples per decoder call (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "1",
            description = "The VAE priors' τ: z ~ N(0, τ²I) (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/compare",
            description = "Where the samples and report/ go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--classifier-steps", paramLabel = "N", defaultValue = "" + ClassifierTrainingConfig.DEFAULT_STEPS,
            description = "Training steps of the cached feature network (default: ${DEFAULT-VALUE}).")
    long classifierSteps;

    @Override
    public Integer call() throws Exception {
        if (n < 2) {
            throw new InputException("--n " + n + ": FD needs at least 2 samples from each model");
        }
        if (batchSize <= 0) {
            throw new InputException("--batch-size " + batchSize + ": must be at least 1");
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new InputException("--temperature " + temperature + ": must be finite and >= 0");
        }
        Comparison.Contender ldm = Comparison.ofRun(run, n, engine.seed());
        Dataset data = DataStage.open(RunConfig.read(new RunLayout(run).config()).data());
        List<Comparison.Contender> contenders = new ArrayList<>(List.of(ldm));
        for (Path vae : vaes) {
            contenders.add(Comparison.ofVae(vae, data.info(), n, batchSize, engine.seed(), temperature));
        }
        Device device = engine.start();
        Path page = Comparison.run(data, contenders, new EvalStage.Cached(classifierSteps), out, 100, device);
        PrintWriter o = spec.commandLine().getOut();
        o.println("report written to " + page);
        o.flush();
        return 0;
    }
}
