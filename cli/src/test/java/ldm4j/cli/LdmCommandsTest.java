package ldm4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import ldm4j.core.data.LatentSet;
import ldm4j.core.io.Npy;
import ldm4j.core.io.NpyArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train-ldm and sample on tiny idx files and latent sets written by the test; no network. */
class LdmCommandsTest {
    @TempDir
    Path dir;

    /** n 8×8 grey images (bright squares on dark, class = i % 2) with labels, as an idx spec. */
    private String idxSpec(int n) throws IOException {
        Path images = dir.resolve("images.idx");
        Path labels = dir.resolve("labels.idx");
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(images))) {
            out.writeInt(0x00000803);
            out.writeInt(n);
            out.writeInt(8);
            out.writeInt(8);
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < 64; p++) {
                    boolean inside = (p / 8 >= 2 && p / 8 < 6 && p % 8 >= 2 && p % 8 < 6) == (i % 2 == 0);
                    out.writeByte(inside ? 230 : 20 + (i * 13 + p) % 10);
                }
            }
        }
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(labels))) {
            out.writeInt(0x00000801);
            out.writeInt(n);
            for (int i = 0; i < n; i++) {
                out.writeByte(i % 2);
            }
        }
        return "idx:" + images + "," + labels + "?size=8";
    }

    private Path yaml(String text) throws IOException {
        Path file = dir.resolve("cfg-" + Math.abs(text.hashCode()) + ".yaml");
        Files.writeString(file, text);
        return file;
    }

    private static final String TINY = """
            model:
              model_channels: 16
              channel_mult: [1, 2]
              num_res_blocks: 1
              attention_resolutions: [2]
              num_heads: 2
            batch_size: 4
            warmup: 2
            log_every: 1
            sample_count: 4
            sample_steps: 4
            """;

    @Test
    void trainLdmOnPixelsThenSampleWritesGridAndUint8NpyOfTheRightShape() throws IOException {
        Path run = dir.resolve("run");
        CliTestSupport.Result train = CliTestSupport.run("train-ldm", "--data", idxSpec(24), "--out", run.toString(),
                "--config", yaml(TINY).toString(), "--steps", "3", "--class-conditional", "--lr", "1e-3",
                "--seed", "5");
        assertEquals(0, train.exitCode(), train.err());
        assertTrue(train.out().contains("trained 3 steps"), train.out());
        assertTrue(Files.exists(run.resolve("checkpoint/checkpoint.json")));
        assertTrue(Files.exists(run.resolve("checkpoint/ema.safetensors")));
        assertTrue(Files.exists(run.resolve("samples-step3.png")));
        assertEquals(4, Files.readAllLines(run.resolve("train-log.csv")).size());

        Path samples = dir.resolve("samples");
        CliTestSupport.Result sample = CliTestSupport.run("sample", "--ldm", run.toString(), "--out", samples.toString(),
                "--n", "5", "--batch-size", "2", "--sampler", "dpm++2m", "--steps", "3", "--class", "1",
                "--guidance", "2");
        assertEquals(0, sample.exitCode(), sample.err());
        assertTrue(Files.exists(samples.resolve("grid.png")));
        NpyArray npy = Npy.read(samples.resolve("samples.npy"));
        assertEquals(NpyArray.UINT8, npy.dtype());
        assertArrayEquals(new long[] {5, 1, 8, 8}, npy.shape());

        // --resume with a larger --steps continues the same run directory
        CliTestSupport.Result more = CliTestSupport.run("train-ldm", "--resume", run.toString(), "--steps", "4");
        assertEquals(0, more.exitCode(), more.err());
        assertEquals(5, Files.readAllLines(run.resolve("train-log.csv")).size());
    }

    @Test
    void sampleOfALatentRunSaysDecodingNeedsTheAutoencoder() throws IOException {
        int n = 8;
        float[] x = new float[n * 4 * 4 * 4];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 5) - 2f;
        }
        Path latents = dir.resolve("latents");
        new LatentSet(new LatentSet.Header(4, 4, 4, n, 0, 0, 0.5, "mean", "toy", "none", "none", null), x, new int[n],
                new float[0], new int[0]).write(latents);
        Path run = dir.resolve("latent-run");
        CliTestSupport.Result train = CliTestSupport.run("train-ldm", "--latents", latents.toString(), "--out",
                run.toString(), "--config", yaml(TINY + "sample_count: 0\n").toString(), "--steps", "2");
        assertEquals(0, train.exitCode(), train.err());
        CliTestSupport.Result sample = CliTestSupport.run("sample", "--ldm", run.toString(), "--out",
                dir.resolve("s").toString());
        assertEquals(2, sample.exitCode());
        assertEquals(1, sample.err().strip().lines().count(), sample.err());
        assertTrue(sample.err().contains("--ae"), sample.err());
    }

    @Test
    void unknownConfigKeyIsOneLineNamingTheKeyAndExitTwo() throws IOException {
        Path bad = yaml("model:\n  modle_channels: 8\n");
        CliTestSupport.Result r = CliTestSupport.run("train-ldm", "--data", "idx:nowhere", "--out",
                dir.resolve("x").toString(), "--config", bad.toString());
        assertEquals(2, r.exitCode(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("modle_channels") && r.err().contains(bad.getFileName().toString()), r.err());
    }

    @Test
    void badFlagIsOneLineAndExitTwo() {
        CliTestSupport.Result unknown = CliTestSupport.run("train-ldm", "--latents", "x", "--out", "y", "--bogus");
        assertEquals(2, unknown.exitCode());
        assertEquals(1, unknown.err().strip().lines().count(), unknown.err());
        CliTestSupport.Result badValue = CliTestSupport.run("train-ldm", "--latents", "x", "--out", "y",
                "--schedule", "quadratic");
        assertEquals(2, badValue.exitCode(), badValue.err());
        assertEquals(1, badValue.err().strip().lines().count(), badValue.err());
        assertTrue(badValue.err().contains("quadratic"), badValue.err());
    }

    @Test
    void resumeOfADirectoryWithoutCheckpointIsAClearError() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("not-a-run"));
        CliTestSupport.Result r = CliTestSupport.run("train-ldm", "--resume", empty.toString());
        assertEquals(2, r.exitCode(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(empty + ": has no checkpoint.json in it or in checkpoint/, expected a train-ldm run"),
                r.err());
    }
}
