package ldm4j.cli;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import ldm4j.cli.options.EngineOptions;
import ldm4j.cli.options.Verbosity;
import ldm4j.core.InputException;
import ldm4j.pipeline.experiment.EndToEndRun;
import ldm4j.pipeline.experiment.RunSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ldm4j demo}: the quick preset end to end, the README's main command. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Run configs/fashion-quick.yaml end to end into runs/demo (same as `ldm4j run "
                + "configs/fashion-quick.yaml --out runs/demo`): 13-15 minutes on a 2-core CPU, plus about 2 "
                + "the first time (fetching the data, training the feature network).")
public final class DemoCommand implements Callable<Integer> {
    @Mixin
    Verbosity verbosity;

    @Mixin
    EngineOptions engine;

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE.yaml", defaultValue = "configs/fashion-quick.yaml",
            description = "The preset (default: ${DEFAULT-VALUE}, relative to the ldm4j checkout).")
    Path config;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/demo",
            description = "Run directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--force", description = "Redo every stage, even finished ones (default: ${DEFAULT-VALUE}).")
    boolean force;

    @Override
    public Integer call() throws Exception {
        Path preset = resolve(config);
        Device device = engine.start();
        RunSummary summary = EndToEndRun.run(preset, out, force, device);
        spec.commandLine().getOut().println(summary.markdown());
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** A relative preset is looked up in the working directory, then in the checkout the launcher ran from. */
    private static Path resolve(Path preset) {
        if (preset.isAbsolute() || Files.exists(preset)) {
            return preset;
        }
        String home = System.getProperty("ldm4j.home");
        if (home != null && Files.exists(Path.of(home).resolve(preset))) {
            return Path.of(home).resolve(preset);
        }
        throw InputException.inFile(preset, "no such preset (run from the ldm4j checkout or pass --config)");
    }
}
