package ldm4j.cli.bench;

import java.util.concurrent.Callable;
import ldm4j.autoencoder.bench.AutoencoderBench;
import ldm4j.cli.options.EngineOptions;
import ldm4j.cli.options.Verbosity;
import ldm4j.core.InputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ldm4j bench autoencoder}: stage-1 training and encoding speed, and native-memory growth. */
@Command(
        name = "autoencoder",
        mixinStandardHelpOptions = true,
        description = {
            "Benchmark the quick preset's autoencoder (ch 32, ch_mult 1,2,2, 1 res block, z 4, mid attention)"
                    + " on 1x32x32 noise: training img/s and GFLOP/s, encode img/s, peak RSS, RSS growth.",
            "Compare with the PyTorch speed floor (docs/speed-floor.md) at the same thread count."
        })
public final class BenchAutoencoderCommand implements Callable<Integer> {
    @Mixin
    Verbosity verbosity;

    @Mixin
    EngineOptions engine;

    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "A short smoke run: RSS at steps 100 and 200, 1,024 images encoded"
            + " (default: ${DEFAULT-VALUE}).")
    boolean quick;

    @Option(names = "--batch-size", paramLabel = "B", description = "Training images per step (default: 32).")
    Integer batchSize;

    @Option(names = "--warmup", paramLabel = "N", description = "Untimed steps first (default: 10; quick: 10).")
    Integer warmup;

    @Option(names = "--rss-first", paramLabel = "STEP", description = "Step of the first RSS reading (default: 1000; quick: 100).")
    Long rssFirst;

    @Option(names = "--rss-second", paramLabel = "STEP",
            description = "Step of the second RSS reading, also the number of steps (default: 5000; quick: 200).")
    Long rssSecond;

    @Option(names = "--encode-images", paramLabel = "N", description = "Images to encode (default: 4096; quick: 1024).")
    Integer encodeImages;

    @Override
    public Integer call() {
        AutoencoderBench.Options d = quick ? AutoencoderBench.Options.quick() : AutoencoderBench.Options.full();
        AutoencoderBench.Options o;
        try {
            o = new AutoencoderBench.Options(
                    batchSize != null ? batchSize : d.batchSize(), d.imageSize(),
                    warmup != null ? warmup : d.warmupSteps(),
                    rssFirst != null ? rssFirst : d.rssFirstStep(),
                    rssSecond != null ? rssSecond : d.rssSecondStep(),
                    encodeImages != null ? encodeImages : d.encodeImages(), d.encodeBatch());
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage(), e);
        }
        engine.start();
        AutoencoderBench.Report r = AutoencoderBench.run(o);
        spec.commandLine().getOut().print(r.table());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
