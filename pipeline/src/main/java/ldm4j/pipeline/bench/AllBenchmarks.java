package ldm4j.pipeline.bench;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import ldm4j.autoencoder.bench.AutoencoderBench;
import ldm4j.core.bench.BenchRow;
import ldm4j.core.bench.ProcessMemory;
import ldm4j.diffusion.bench.DiffusionBench;

/**
 * {@code ldm4j bench}: the autoencoder, diffusion and end-to-end benchmarks in one process, reported
 * as one table. The autoencoder runs first so that its RSS readings are not inflated by the others.
 * Each section ends with its own peak resident memory ({@link ProcessMemory.Window}).
 */
public final class AllBenchmarks {
    private AllBenchmarks() {}

    /**
     * Runs every benchmark.
     *
     * @param quick the short variant of each ({@link AutoencoderBench.Options#quick()}, a few UNet steps,
     *     64 images per sampling figure): a few minutes instead of about 40
     * @param root the manager the diffusion and pipeline figures run on
     * @param log progress lines as figures are measured
     * @return every row, autoencoder first
     */
    public static List<BenchRow> run(boolean quick, NDManager root, PrintWriter log) throws IOException {
        List<BenchRow> rows = new ArrayList<>();
        rows.addAll(section(AutoencoderBench.STAGE, () -> {
            AutoencoderBench.Report ae = AutoencoderBench.run(quick ? AutoencoderBench.Options.quick()
                    : AutoencoderBench.Options.full());
            log.print(ae.table());
            log.flush();
            return ae.rows();
        }));
        rows.addAll(section(DiffusionBench.STAGE, () -> DiffusionBench.run(quick, root, log)));
        rows.addAll(section(PipelineBench.STAGE, () -> PipelineBench.run(quick, root, log)));
        return rows;
    }

    /** One benchmark section's work. */
    @FunctionalInterface
    interface Section {
        List<BenchRow> run() throws IOException;
    }

    /**
     * Runs {@code body} and appends its peak resident memory as a last row of {@code stage}
     * ({@link BenchRow#peak}); no such row where /proc cannot be read.
     */
    static List<BenchRow> section(String stage, Section body) throws IOException {
        ProcessMemory.Window memory = ProcessMemory.startWindow();
        List<BenchRow> rows = new ArrayList<>(body.run());
        memory.peak().ifPresent(p -> rows.add(BenchRow.peak(stage, p)));
        return rows;
    }
}
