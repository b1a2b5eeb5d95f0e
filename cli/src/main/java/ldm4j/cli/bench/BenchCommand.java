package ldm4j.cli.bench;

import java.util.concurrent.Callable;
import ldm4j.cli.options.Verbosity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ldm4j bench}: speed and memory figures to compare with DESIGN.md's speed floor. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measure speed and memory on this machine (a benchmark, not a test).",
        subcommands = {BenchAutoencoderCommand.class, BenchDiffusionCommand.class})
public final class BenchCommand implements Callable<Integer> {
    @Mixin
    Verbosity verbosity;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }
}
