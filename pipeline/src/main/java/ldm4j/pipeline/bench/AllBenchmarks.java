package ldm4j.pipeline.bench;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import ldm4j.autoencoder.bench.AutoencoderBench;
import ldm4j.core.bench.BenchRow;
import ldm4j.diffusion.bench.DiffusionBench;

/**
 * {@code ldm4j bench}: the autoencoder, diffusion and end-to-end benchmarks in one process, reported
 * as one table. The autoencoder runs first so that its RSS readings are not inflated by the others.
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
        AutoencoderBench.Report ae = AutoencoderBench.run(quick ? AutoencoderBench.Options.quick()
                : AutoencoderBench.Options.full());
        log.print(ae.table());
        log.flush();
        rows.addAll(ae.rows());
        rows.addAll(DiffusionBench.run(quick, root, log));
        rows.addAll(PipelineBench.run(quick, root, log));
        return rows;
    }
}
