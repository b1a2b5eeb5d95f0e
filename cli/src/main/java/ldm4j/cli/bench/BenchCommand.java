package ldm4j.cli.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import ldm4j.cli.options.EngineOptions;
import ldm4j.cli.options.Verbosity;
import ldm4j.core.bench.BenchRow;
import ldm4j.core.bench.BenchTable;
import ldm4j.pipeline.bench.AllBenchmarks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ldm4j bench}: every speed and memory figure in one table, compared with the speed floor in docs/speed-floor.md. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Measure speed and memory on this machine (a benchmark, not a test) and print one table: autoencoder"
                    + " training and encoding, UNet training (latents and pixels), sampling, and noise-to-image"
                    + " throughput of the whole pipeline, each beside the PyTorch speed floor (docs/speed-floor.md), and each"
                    + " section's own peak resident memory.",
            "The full run takes about 40 minutes (5,000 autoencoder steps for the RSS check); --quick takes a few.",
            "Run it on a quiet machine: other processes on the same cores change every figure.",
            "The subcommands run one stage's benchmark with more options."
        },
        subcommands = {BenchAutoencoderCommand.class, BenchDiffusionCommand.class})
public final class BenchCommand implements Callable<Integer> {
    @Mixin
    Verbosity verbosity;

    @Mixin
    EngineOptions engine;

    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "The short variant of every benchmark: autoencoder RSS at steps 100"
            + " and 200, 5 UNet steps, DDPM 100, 64 images per sampling figure (default: ${DEFAULT-VALUE}).")
    boolean quick;

    @Override
    public Integer call() throws Exception {
        Device device = engine.start();
        PrintWriter out = spec.commandLine().getOut();
        try (NDManager root = NDManager.newBaseManager(device)) {
            List<BenchRow> rows = AllBenchmarks.run(quick, root, out);
            out.println();
            out.print(BenchTable.format(rows));
            out.flush();
        }
        return 0;
    }
}
