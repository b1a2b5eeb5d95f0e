package ldm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * One tiny trained end-to-end run shared by the pipeline tests of this JVM, built once through the
 * CLI on a synthetic idx set: 16×16 grey squares whose horizontal position is the class (3 classes),
 * an autoencoder (f = 2, z = 4, 2 steps), its latents, and a class-conditional latent UNet (2 steps),
 * laid out as an {@code ldm4j run} directory. Two more autoencoders for the mismatch tests: one with
 * 2 latent channels, one like the first but from another seed.
 */
final class TinyLatentRun {
    static final int SIDE = 16;
    static final int CLASSES = 3;

    private static TinyLatentRun instance;

    final Path root;
    final String dataSpec;
    final Path run;
    final Path latents;
    final Path otherChannels;
    final Path otherSeed;

    private TinyLatentRun(Path root) throws IOException {
        this.root = root;
        this.dataSpec = writeSquares(root, 30);
        this.run = root.resolve("run");
        this.latents = run.resolve("latents");
        trainAe(run.resolve("autoencoder"), 4, 3);
        ok(CliTestSupport.run("encode", "--ae", run.resolve("autoencoder/checkpoint").toString(), "--data", dataSpec,
                "--out", latents.toString()));
        Path ldmYaml = root.resolve("ldm.yaml");
        Files.writeString(ldmYaml, """
                model:
                  model_channels: 16
                  channel_mult: [1, 2]
                  num_res_blocks: 1
                  attention_resolutions: [2]
                  num_heads: 2
                batch_size: 8
                warmup: 1
                log_every: 1
                sample_count: 0
                """);
        ok(CliTestSupport.run("train-ldm", "--latents", latents.toString(), "--out", run.resolve("diffusion").toString(),
                "--config", ldmYaml.toString(), "--steps", "2", "--class-conditional", "--seed", "4"));
        this.otherChannels = root.resolve("ae-z2");
        trainAe(otherChannels, 2, 3);
        this.otherSeed = root.resolve("ae-seed9");
        trainAe(otherSeed, 4, 9);
    }

    /** The shared run, trained on first use under {@code target/}. */
    static synchronized TinyLatentRun get() {
        if (instance == null) {
            try {
                Path dir = Files.createDirectories(Path.of("target", "tiny-latent-run-" + ProcessHandle.current().pid()))
                        .toAbsolutePath();
                instance = new TinyLatentRun(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    /** {@code run/autoencoder}. */
    Path autoencoder() {
        return run.resolve("autoencoder");
    }

    /** {@code run/diffusion}. */
    Path diffusion() {
        return run.resolve("diffusion");
    }

    private void trainAe(Path out, int zChannels, int seed) throws IOException {
        Path yaml = root.resolve("ae-z" + zChannels + ".yaml");
        Files.writeString(yaml, "model:\n  ch: 16\n  ch_mult: [1, 2]\n  z_channels: " + zChannels
                + "\nloss: l2\nbatch_size: 8\nwarmup: 1\nlog_every: 1\n");
        ok(CliTestSupport.run("train-ae", "--data", dataSpec, "--out", out.toString(), "--config", yaml.toString(),
                "--steps", "2", "--beta", "1", "--seed", String.valueOf(seed)));
    }

    private static void ok(CliTestSupport.Result r) {
        assertEquals(0, r.exitCode(), r.err());
    }

    /** {@code perClass} images per class: noise in [0, 50) and a bright 4×4 square at x = 1, 6 or 11. */
    static String writeSquares(Path dir, int perClass) throws IOException {
        int n = CLASSES * perClass;
        SplittableRandom random = new SplittableRandom(11);
        Path images = dir.resolve("squares-images.idx");
        Path labels = dir.resolve("squares-labels.idx");
        try (DataOutputStream img = new DataOutputStream(Files.newOutputStream(images));
                DataOutputStream lab = new DataOutputStream(Files.newOutputStream(labels))) {
            img.writeInt(0x00000803);
            img.writeInt(n);
            img.writeInt(SIDE);
            img.writeInt(SIDE);
            lab.writeInt(0x00000801);
            lab.writeInt(n);
            for (int i = 0; i < n; i++) {
                int label = i % CLASSES;
                byte[] p = new byte[SIDE * SIDE];
                for (int j = 0; j < p.length; j++) {
                    p[j] = (byte) random.nextInt(50);
                }
                int y0 = random.nextInt(SIDE - 4);
                for (int y = y0; y < y0 + 4; y++) {
                    for (int x = 1 + 5 * label; x < 5 + 5 * label; x++) {
                        p[y * SIDE + x] = (byte) 230;
                    }
                }
                img.write(p);
                lab.writeByte(label);
            }
        }
        return "idx:" + images + "," + labels;
    }
}
