package ldm4j.autoencoder.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ldm4j.autoencoder.AutoencoderConfig;
import ldm4j.autoencoder.train.AutoencoderStep;
import ldm4j.autoencoder.train.AutoencoderTrainConfig;
import ldm4j.core.bench.BenchRow;
import ldm4j.core.bench.ProcessMemory;
import ldm4j.core.engine.EngineSetup;
import ldm4j.core.progress.Progress;
import ldm4j.core.train.LrSchedule;

/**
 * The stage-1 benchmark behind {@code ldm4j bench autoencoder}: training and encoding throughput of
 * the quick preset's autoencoder (ch 32, ch_mult 1,2,2, 1 ResBlock, z 4, mid attention) on 1×32×32
 * images, batch 32, the shapes of the speed floor in docs/speed-floor.md, and whether native memory stays flat.
 *
 * <p>Training runs the trainer's own {@link AutoencoderStep} (forward, backward, clip, non-finite
 * guard, AdamW) on seeded uniform-noise batches, so no dataset is needed. Throughput is measured
 * after the warm-up steps; achieved GFLOP/s = images/s × 3 × forward FLOPs
 * ({@link AutoencoderFlops}). Resident memory is read at two step counts (1,000 and 5,000 by
 * default); a leak of one array per step shows up as growth between them. Encoding is the posterior
 * mean of 64-image batches, as {@code ldm4j encode} does it by default (on 2 cores, batches of 256
 * ran 2–4× slower per image than 32 or 64: the activations no longer fit in cache).
 */
public final class AutoencoderBench {
    /** The module name in the bench table. */
    public static final String STAGE = "autoencoder";
    /** Speed floor (docs/speed-floor.md) (PyTorch, 2 threads): training img/s in a short benchmark. */
    public static final double FLOOR_TRAIN_SHORT_IMG_S = 88;
    /** Speed floor (docs/speed-floor.md): training img/s sustained over 5 minutes. */
    public static final double FLOOR_TRAIN_SUSTAINED_IMG_S = 123;
    /** Timed training at least this long is compared with the sustained floor. */
    public static final double SUSTAINED_SECONDS = 300;
    /** Runs shorter than this many steps do not judge RSS growth ({@link Report#rssVerdict()}). */
    public static final long RSS_JUDGED_FROM = 1000;
    /** Speed floor (docs/speed-floor.md): encoding (posterior mean) img/s. */
    public static final double FLOOR_ENCODE_IMG_S = 1340;

    private AutoencoderBench() {}

    /**
     * What to run.
     *
     * @param batchSize training images per step
     * @param imageSize side of the square grey images
     * @param warmupSteps steps before the clock starts
     * @param rssFirstStep step at which resident memory is read first
     * @param rssSecondStep step at which it is read again, and the last step run
     * @param encodeImages images encoded for the encode figure
     * @param encodeBatch images per encode batch
     */
    public record Options(int batchSize, int imageSize, int warmupSteps, long rssFirstStep, long rssSecondStep,
            int encodeImages, int encodeBatch) {
        /** Validates the counts. */
        public Options {
            if (batchSize <= 0 || imageSize <= 0 || warmupSteps < 0 || encodeImages <= 0 || encodeBatch <= 0) {
                throw new IllegalArgumentException("batch size, image size and encode counts must be > 0, warm-up >= 0");
            }
            if (rssFirstStep <= warmupSteps || rssSecondStep <= rssFirstStep) {
                throw new IllegalArgumentException("need warm-up (" + warmupSteps + ") < first RSS step ("
                        + rssFirstStep + ") < second RSS step (" + rssSecondStep + ")");
            }
        }

        /** The full benchmark: batch 32 of 32×32, RSS at steps 1,000 and 5,000, 4,096 images encoded. */
        public static Options full() {
            return new Options(32, 32, 10, 1000, 5000, 4096, 64);
        }

        /**
         * A short run of about a minute: RSS at steps 100 and 200, after the allocator has warmed up
         * (it grows over the first tens of steps), and 190 timed steps for a steady img/s.
         */
        public static Options quick() {
            return new Options(32, 32, 10, 100, 200, 1024, 64);
        }
    }

    /**
     * The figures.
     *
     * @param model the benchmarked architecture
     * @param options what was run
     * @param threads libtorch intra-op threads
     * @param forwardGflopPerImage analytic forward cost of one image
     * @param trainImagesPerSecond training images per second after warm-up
     * @param trainGflops achieved GFLOP/s in training (3 × forward)
     * @param encodeImagesPerSecond posterior-mean encoding images per second
     * @param encodeGflops achieved GFLOP/s in encoding (encoder only)
     * @param rssFirst resident memory at {@code rssFirstStep}, bytes
     * @param rssSecond resident memory at {@code rssSecondStep}, bytes
     * @param peakRss peak resident memory of the process, bytes
     * @param skippedSteps training steps skipped for non-finite gradients
     * @param trainSeconds wall time of the timed training steps
     */
    public record Report(AutoencoderConfig model, Options options, int threads, double forwardGflopPerImage,
            double trainImagesPerSecond, double trainGflops, double encodeImagesPerSecond, double encodeGflops,
            long rssFirst, long rssSecond, long peakRss, long skippedSteps, double trainSeconds) {

        /** The training floor this run compares with: the sustained one when it trained 5 minutes or more. */
        public double trainFloor() {
            return trainSeconds >= SUSTAINED_SECONDS ? FLOOR_TRAIN_SUSTAINED_IMG_S : FLOOR_TRAIN_SHORT_IMG_S;
        }

        /** The figures as rows of the {@code ldm4j bench} table. */
        public List<BenchRow> rows() {
            AutoencoderConfig m = model;
            String net = "ch " + m.ch() + ", ch_mult " + m.chMult() + ", " + m.numResBlocks() + " res, z "
                    + m.zChannels() + ", 1×" + options.imageSize() + "×" + options.imageSize();
            return List.of(
                    BenchRow.rate(STAGE, "training step", net + ", batch " + options.batchSize(),
                            trainImagesPerSecond, "img/s", trainFloor()),
                    BenchRow.cost(STAGE, fmt("  RSS growth, step %d→%d", options.rssFirstStep(),
                            options.rssSecondStep()), rssVerdict(),
                            rssGrowthPercent(), "%", Double.NaN),
                    BenchRow.rate(STAGE, "encode (posterior mean)", net + ", batch " + options.encodeBatch(),
                            encodeImagesPerSecond, "img/s", FLOOR_ENCODE_IMG_S));
        }

        /** Growth of resident memory between the two readings, in percent of the first. */
        public double rssGrowthPercent() {
            return 100.0 * (rssSecond - rssFirst) / rssFirst;
        }

        /**
         * "flat (< 5%)", "GROWING (≥ 5%)", or, when the run stopped before step {@value #RSS_JUDGED_FROM},
         * that it was too short to judge: the allocator's pools still grow over the first few hundred
         * steps (+5% from step 100 to 200 on 2 cores), which is not a leak.
         */
        public String rssVerdict() {
            if (options.rssSecondStep() < RSS_JUDGED_FROM) {
                return "too short to judge (full bench: steps 1,000→5,000)";
            }
            return rssFlat() ? "flat (< 5%)" : "GROWING (≥ 5%)";
        }

        /** True when resident memory grew by less than 5% between the readings. */
        public boolean rssFlat() {
            return Math.abs(rssGrowthPercent()) < 5;
        }

        /** The report as a plain-text table. */
        public String table() {
            AutoencoderConfig m = model;
            List<String[]> rows = List.of(
                    new String[] {"model", "ch " + m.ch() + ", ch_mult " + m.chMult() + ", " + m.numResBlocks()
                            + " res block, z " + m.zChannels() + (m.attention() ? ", mid attention" : "")},
                    new String[] {"input", "batch " + options.batchSize() + " × 1×" + options.imageSize() + "×"
                            + options.imageSize()},
                    new String[] {"threads", Integer.toString(threads)},
                    new String[] {"forward cost", fmt("%.3f GFLOP/image", forwardGflopPerImage)},
                    new String[] {"training", fmt("%.1f img/s, %.1f GFLOP/s (steps %d–%d); floor %.0f img/s",
                            trainImagesPerSecond, trainGflops, options.warmupSteps(), options.rssSecondStep(),
                            trainFloor())},
                    new String[] {"encode (mean)", fmt("%.0f img/s, %.1f GFLOP/s; floor %.0f img/s",
                            encodeImagesPerSecond, encodeGflops, FLOOR_ENCODE_IMG_S)},
                    new String[] {"RSS", fmt("%s at step %d, %s at step %d (%+.1f%%, %s)", ProcessMemory.mib(rssFirst),
                            options.rssFirstStep(), ProcessMemory.mib(rssSecond), options.rssSecondStep(),
                            rssGrowthPercent(), rssVerdict())},
                    new String[] {"peak RSS", ProcessMemory.mib(peakRss)},
                    new String[] {"skipped steps", Long.toString(skippedSteps)});
            StringBuilder sb = new StringBuilder("autoencoder benchmark\n");
            for (String[] r : rows) {
                sb.append(String.format(Locale.ROOT, "  %-14s %s%n", r[0], r[1]));
            }
            return sb.toString();
        }

        private static String fmt(String f, Object... args) {
            return String.format(Locale.ROOT, f, args);
        }
    }

    /** Runs the benchmark with the quick preset's model. */
    public static Report run(Options o) {
        AutoencoderTrainConfig defaults = AutoencoderTrainConfig.defaults(1);
        // A constant rate after warm-up: thousands of steps on noise must not decay to nothing or diverge.
        AutoencoderTrainConfig config = AutoencoderTrainConfig.resolve(defaults, null, Map.of(
                "steps", o.rssSecondStep(), "batch_size", o.batchSize(), "lr", 1e-4,
                "lr_decay", LrSchedule.Decay.CONSTANT, "warmup", 10L));
        AutoencoderConfig model = config.model();
        double forwardFlops = AutoencoderFlops.forward(model, o.imageSize(), o.imageSize());
        Shape batch = new Shape(o.batchSize(), 1, o.imageSize(), o.imageSize());
        long rssFirst = -1;
        long rssSecond = -1;
        long timedStart = 0;
        double trainSeconds;
        long skipped;
        double trainImagesPerSecond;
        double encodeImagesPerSecond;
        try (NDManager root = NDManager.newBaseManager()) {
            AutoencoderStep step = new AutoencoderStep(config, root, o.imageSize());
            try (Progress bar = Progress.start("bench autoencoder", o.rssSecondStep())) {
                for (long s = 0; s < o.rssSecondStep(); s++) {
                    if (s == o.warmupSteps()) {
                        timedStart = System.nanoTime();
                    }
                    Map<String, Double> row;
                    try (NDManager scope = root.newSubManager()) {
                        NDArray x = scope.randomUniform(-1f, 1f, batch);
                        row = step.run(x, s, scope);
                    }
                    if (s + 1 == o.rssFirstStep()) {
                        rssFirst = ProcessMemory.rssBytes();
                    }
                    bar.update(s + 1, Map.of("loss", row.get("loss")));
                }
            }
            rssSecond = ProcessMemory.rssBytes();
            long timedSteps = o.rssSecondStep() - o.warmupSteps();
            trainSeconds = (System.nanoTime() - timedStart) / 1e9;
            trainImagesPerSecond = timedSteps * o.batchSize() / trainSeconds;
            skipped = step.trainStep().guard().skippedSteps();
            encodeImagesPerSecond = encode(step, root, o);
        }
        double encodeFlops = AutoencoderFlops.encode(model, o.imageSize(), o.imageSize());
        return new Report(model, o, EngineSetup.threads(), forwardFlops / 1e9, trainImagesPerSecond,
                trainImagesPerSecond * 3 * forwardFlops / 1e9, encodeImagesPerSecond,
                encodeImagesPerSecond * encodeFlops / 1e9, rssFirst, rssSecond, ProcessMemory.peakRssBytes(), skipped,
                trainSeconds);
    }

    /** Posterior means of {@code encodeImages} noise images; the first batch warms up and is not timed. */
    private static double encode(AutoencoderStep step, NDManager root, Options o) {
        Shape batch = new Shape(o.encodeBatch(), 1, o.imageSize(), o.imageSize());
        int batches = Math.max(1, o.encodeImages() / o.encodeBatch());
        long start = 0;
        for (int b = -1; b < batches; b++) {
            if (b == 0) {
                start = System.nanoTime();
            }
            try (NDManager scope = root.newSubManager()) {
                NDArray x = scope.randomUniform(-1f, 1f, batch);
                step.model().encode(new ParameterStore(scope, false), x, false).mean().toFloatArray();
            }
        }
        return (double) batches * o.encodeBatch() / ((System.nanoTime() - start) / 1e9);
    }
}
