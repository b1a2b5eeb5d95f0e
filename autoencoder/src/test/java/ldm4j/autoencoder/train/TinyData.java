package ldm4j.autoencoder.train;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import ldm4j.autoencoder.AutoencoderConfig;
import ldm4j.autoencoder.loss.DiscriminatorConfig;
import ldm4j.autoencoder.loss.ReconstructionLoss;
import ldm4j.core.data.Dataset;
import ldm4j.core.train.LrSchedule;

/** Tiny synthetic grey datasets as idx files, and tiny training configs, for the trainer tests. */
final class TinyData {
    static final int SIZE = 16;

    private TinyData() {}

    /**
     * Writes {@code n} 16×16 images (soft blobs and bars at seeded places) with labels 0..3 and opens
     * them as a dataset (the surefire cache is per module, under target/).
     */
    static String writeIdx(Path dir, int n, long seed) throws IOException {
        Files.createDirectories(dir);
        Path images = dir.resolve("images-" + n + "-" + seed + ".idx");
        Path labels = dir.resolve("labels-" + n + "-" + seed + ".idx");
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(images));
                DataOutputStream lab = new DataOutputStream(Files.newOutputStream(labels))) {
            out.writeInt(0x00000803);
            out.writeInt(n);
            out.writeInt(SIZE);
            out.writeInt(SIZE);
            lab.writeInt(0x00000801);
            lab.writeInt(n);
            for (int i = 0; i < n; i++) {
                int kind = i % 4;
                double cy = 3 + r.nextDouble() * 10;
                double cx = 3 + r.nextDouble() * 10;
                double radius = 2 + r.nextDouble() * 3;
                for (int y = 0; y < SIZE; y++) {
                    for (int x = 0; x < SIZE; x++) {
                        double v = switch (kind) {
                            case 0 -> Math.exp(-((y - cy) * (y - cy) + (x - cx) * (x - cx)) / (2 * radius * radius));
                            case 1 -> Math.abs(y - cy) < radius / 2 ? 1 : 0;
                            case 2 -> Math.abs(x - cx) < radius / 2 ? 1 : 0;
                            default -> Math.max(0, 1 - Math.abs((x - cx) + (y - cy)) / (2 * radius));
                        };
                        out.writeByte((int) Math.round(255 * v));
                    }
                }
                lab.writeByte(kind);
            }
        }
        return "idx:" + images + "," + labels + "?size=" + SIZE;
    }

    static Dataset open(Path dir, int n, long seed) throws IOException {
        return Dataset.open(writeIdx(dir, n, seed));
    }

    /** A tiny model (ch 16, chMult 1,2: f = 2, z 4) trained with a constant rate, so runs of any length share a schedule. */
    static AutoencoderTrainConfig config(long steps, double beta, int batch) {
        AutoencoderTrainConfig d = AutoencoderTrainConfig.defaults(1);
        return AutoencoderTrainConfig.resolve(d, null, Map.ofEntries(
                Map.entry("model", new AutoencoderConfig(1, 16, List.of(1, 2), 1, 4, true, 0f)),
                Map.entry("loss", ReconstructionLoss.L1),
                Map.entry("beta", beta),
                Map.entry("steps", steps),
                Map.entry("batch_size", batch),
                Map.entry("lr", 2e-3),
                Map.entry("lr_decay", LrSchedule.Decay.CONSTANT),
                Map.entry("warmup", 10L),
                Map.entry("disc", DiscriminatorConfig.off()),
                Map.entry("eval_every", 0L),
                Map.entry("checkpoint_every", 0L),
                Map.entry("log_every", 1L),
                Map.entry("eval_images", 64),
                Map.entry("scale_images", 64),
                Map.entry("reconstruction_images", 4)));
    }

    static AutoencoderTrainConfig with(AutoencoderTrainConfig c, String key, Object value) {
        return AutoencoderTrainConfig.resolve(c, null, Map.of(key, value));
    }
}
