package ldm4j.cli;

import ldm4j.cli.bench.BenchCommand;
import ldm4j.cli.data.DataCommand;
import ldm4j.core.engine.Versions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** The {@code ldm4j} command: lists the subcommands; each one is its own class. */
@Command(
        name = "ldm4j",
        mixinStandardHelpOptions = true,
        versionProvider = Ldm4j.Version.class,
        description = "Two-stage latent diffusion on the JVM: a low-beta KL autoencoder compresses, "
                + "a UNet diffuses its latents.",
        subcommands = {CommandLine.HelpCommand.class, DataCommand.class, TrainAeCommand.class, ReconstructCommand.class,
            EncodeCommand.class, TrainLdmCommand.class, SampleCommand.class, EvalCommand.class,
            TrainClassifierCommand.class, RunCommand.class, AblateCommand.class, DemoCommand.class,
            CompareCommand.class, ReportCommand.class,
            BenchCommand.class})
public final class Ldm4j {
    @picocli.CommandLine.Mixin
    ldm4j.cli.options.Verbosity verbosity;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and the tests. */
    public static CommandLine commandLine() {
        ldm4j.cli.options.Verbosity.reset();
        CommandLine cli = new CommandLine(new Ldm4j());
        ErrorHandler errors = new ErrorHandler();
        cli.setExecutionExceptionHandler(errors);
        cli.setParameterExceptionHandler(errors);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        ldm4j.cli.options.ConfigEnumConverters.register(cli);
        return cli;
    }

    /** Prints ldm4j's version with the engine versions it was built against. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            Versions v = Versions.current();
            return new String[] {
                "ldm4j " + v.ldm4j(), "DJL " + v.djl() + ", PyTorch " + v.pytorch(), "Java " + Runtime.version()
            };
        }
    }
}
