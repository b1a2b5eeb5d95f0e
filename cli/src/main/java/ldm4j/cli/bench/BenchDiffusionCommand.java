package ldm4j.cli.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import ldm4j.cli.options.EngineOptions;
import ldm4j.core.bench.BenchRow;
import ldm4j.core.bench.BenchTable;
import ldm4j.cli.options.Verbosity;
import ldm4j.diffusion.bench.DiffusionBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ldm4j bench diffusion}: UNet training and sampling throughput on synthetic data. */
@Command(
        name = "diffusion",
        mixinStandardHelpOptions = true,
        description = {
            "UNet training img/s (4×8×8 latents and 1×32×32 pixels, batch 64) and sampling time for 64 images "
                    + "with guidance 2 (DDPM 1000, DDIM 50, DPM-Solver++ 20), with RSS growth and threads.",
            "Run it on a quiet machine: other processes on the same cores change every figure."
        })
public final class BenchDiffusionCommand implements Callable<Integer> {
    @Mixin
    Verbosity verbosity;

    @Mixin
    EngineOptions engine;

    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "Fewer timed steps and DDPM 100 instead of 1000 (default: ${DEFAULT-VALUE}).")
    boolean quick;

    @Override
    public Integer call() throws Exception {
        Device device = engine.start();
        PrintWriter out = spec.commandLine().getOut();
        try (NDManager root = NDManager.newBaseManager(device)) {
            List<BenchRow> rows = DiffusionBench.run(quick, root, out);
            out.println();
            out.print(BenchTable.format(rows));
            out.flush();
        }
        return 0;
    }
}
