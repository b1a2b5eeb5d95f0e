package ldm4j.cli;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import ldm4j.cli.options.EngineOptions;
import ldm4j.cli.options.Verbosity;
import ldm4j.pipeline.experiment.Ablation;
import ldm4j.pipeline.experiment.AblationConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ldm4j ablate CONFIG.yaml}: one run per value of one parameter, and the sweep's report. */
@Command(
        name = "ablate",
        mixinStandardHelpOptions = true,
        description = {
            "Sweep one key of a run config: one ordinary run directory per value (and per seed, and per extra"
                    + " labelled point) under the ablation's directory, the dataset opened once, then"
                    + " report/index.html over all of them.",
            "A killed ablation, started again, skips the finished sub-runs and resumes the one it stopped in.",
            RunCommand.BUDGET_KEYS_HELP
        })
public final class AblateCommand implements Callable<Integer> {
    @Mixin
    Verbosity verbosity;

    @Mixin
    EngineOptions engine;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "CONFIG.yaml", description = "The ablation config, e.g. configs/beta-ablation.yaml.")
    Path config;

    @Option(names = "--out", paramLabel = "DIR",
            description = "The ablation's directory (default: runs/<the config's file name without .yaml>).")
    Path out;

    @Option(names = "--force", description = "Redo every stage of every sub-run (default: ${DEFAULT-VALUE}).")
    boolean force;

    @Override
    public Integer call() throws Exception {
        AblationConfig ablation = AblationConfig.read(config);
        Path dir = out != null ? out : Path.of("runs", config.getFileName().toString().replaceFirst("\\.ya?ml$", ""));
        Device device = engine.start();
        Path page = Ablation.run(ablation, dir, force, device);
        spec.commandLine().getOut().println("report: " + page);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
