package ldm4j.cli;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import ldm4j.cli.options.EngineOptions;
import ldm4j.cli.options.Verbosity;
import ldm4j.pipeline.experiment.EndToEndRun;
import ldm4j.pipeline.experiment.RunConfig;
import ldm4j.pipeline.experiment.RunSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ldm4j run CONFIG.yaml}: one experiment end to end. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Run one experiment end to end: data, autoencoder, encode, diffusion, samples, pixel-VAE baseline,"
                    + " evaluation, summary.",
            "A finished stage is skipped while the config it was made from is unchanged, so a killed run resumes"
                    + " where it stopped (training stages resume from their last checkpoint).",
            "After an edit to CONFIG.yaml, the stages whose config changed run again, with every stage that reads"
                    + " their outputs (one log line says which and why); raising only diffusion.steps (or an"
                    + " autoencoder's steps under a constant learning rate) continues that training from its"
                    + " checkpoint.",
            RunCommand.BUDGET_KEYS_HELP
        })
public final class RunCommand implements Callable<Integer> {
    /** The run-config keys of a compute-budget sweep, for the help of both {@code run} and {@code ablate}. */
    static final String BUDGET_KEYS_HELP = "Keys for a compute-budget sweep (configs/f-sweep.yaml): f: 1 trains the"
            + " UNet on pixels with no autoencoder (default: the autoencoder's f = 2^(len(ch_mult) - 1));"
            + " unet_budget: {seconds: S} trains it for S seconds instead of diffusion.steps, turned into steps once"
            + " per run from warmup_steps (default 3) untimed and probe_steps (default 10) timed training steps and"
            + " kept in the run's config.yaml (default: no budget); progress_points: N scores samples at N equally"
            + " spaced points of the UNet's training, the last being the run's evaluation (default 0: off).";

    @Mixin
    Verbosity verbosity;

    @Mixin
    EngineOptions engine;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "CONFIG.yaml", description = "The run config, e.g. configs/fashion-quick.yaml.")
    Path config;

    @Option(names = "--out", paramLabel = "DIR", description = "Run directory (default: runs/<name from the config>).")
    Path out;

    @Option(names = "--force", description = "Redo every stage, even finished ones (default: ${DEFAULT-VALUE}).")
    boolean force;

    @Override
    public Integer call() throws Exception {
        RunConfig run = RunConfig.read(config);
        Path runDir = out != null ? out : Path.of("runs", run.name());
        Device device = engine.start();
        RunSummary summary = EndToEndRun.run(run, config, runDir, force, device);
        spec.commandLine().getOut().println(summary.markdown());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
