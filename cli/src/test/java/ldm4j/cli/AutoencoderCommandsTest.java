package ldm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import ldm4j.core.data.LatentSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train-ae, reconstruct and encode on a tiny idx dataset written by the test; no network. */
class AutoencoderCommandsTest {
    @TempDir
    static Path dir;

    private static String spec;

    @BeforeAll
    static void writeTinyIdx() throws IOException {
        int n = 28;
        Path images = dir.resolve("images.idx");
        Path labels = dir.resolve("labels.idx");
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(images));
                DataOutputStream lab = new DataOutputStream(Files.newOutputStream(labels))) {
            out.writeInt(0x00000803);
            out.writeInt(n);
            out.writeInt(16);
            out.writeInt(16);
            lab.writeInt(0x00000801);
            lab.writeInt(n);
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < 256; p++) {
                    out.writeByte(((p / 16 + i) % 8) < 4 ? 230 : 20); // bars shifted per image
                }
                lab.writeByte(i % 2);
            }
        }
        spec = "idx:" + images + "," + labels + "?size=16";
    }

    @Test
    void trainAeThenReconstructAndEncode() throws IOException {
        Path yaml = dir.resolve("tiny.yaml");
        Files.writeString(yaml, "model:\n  ch: 16\n  ch_mult: [1, 2]\nloss: l2\nbatch_size: 8\nwarmup: 1\nlog_every: 1\n");
        Path run = dir.resolve("run");
        CliTestSupport.Result r = CliTestSupport.run("train-ae", "--data", spec, "--out", run.toString(),
                "--config", yaml.toString(), "--steps", "3", "--beta", "1e-4", "--seed", "3");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("PSNR"), r.out());
        for (String f : new String[] {"checkpoint/checkpoint.json", "checkpoint/model.safetensors",
                "checkpoint/optimizer.safetensors", "train-log.csv", "metrics.json", "reconstructions.png"}) {
            assertTrue(Files.isRegularFile(run.resolve(f)), f);
        }
        assertEquals(4, Files.readAllLines(run.resolve("train-log.csv")).size(), "header + 3 steps");
        String config = Files.readString(run.resolve("config.yaml"));
        assertTrue(config.contains("beta: 1.0E-4") && config.contains("seed: 3") && config.contains("ch: 16"), config);

        Path png = dir.resolve("recon.png");
        r = CliTestSupport.run("reconstruct", "--ae", run.resolve("checkpoint").toString(), "--data", spec,
                "--n", "4", "--out", png.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("PSNR") && r.out().contains("SSIM"), r.out());
        assertTrue(Files.isRegularFile(png));

        Path latents = dir.resolve("latents");
        r = CliTestSupport.run("encode", "--ae", run.resolve("checkpoint").toString(), "--data", spec,
                "--out", latents.toString(), "--mode", "sample");
        assertEquals(0, r.exitCode(), r.err());
        LatentSet set = LatentSet.read(latents);
        assertEquals(28, set.header().trainCount() + set.header().testCount());
        assertEquals("sample", set.header().mode());
    }

    @Test
    void unknownConfigKeyIsOneLineExitTwo() throws IOException {
        Path yaml = dir.resolve("typo.yaml");
        Files.writeString(yaml, "steps: 300\nbetta: 1e-6\n");
        CliTestSupport.Result r = CliTestSupport.run("train-ae", "--data", spec, "--out", dir.resolve("never").toString(),
                "--config", yaml.toString());
        assertEquals(2, r.exitCode(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("typo.yaml") && r.err().contains("betta"), r.err());
    }

    @Test
    void badFlagValueIsOneLineExitTwo() {
        CliTestSupport.Result r = CliTestSupport.run("train-ae", "--data", spec, "--out", dir.resolve("x").toString(),
                "--loss", "l3");
        assertEquals(2, r.exitCode(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("--loss"), r.err());
    }

    @Test
    void missingCheckpointIsOneLineExitTwo() {
        CliTestSupport.Result r = CliTestSupport.run("encode", "--ae", dir.resolve("nowhere").toString(), "--data", spec,
                "--out", dir.resolve("z").toString());
        assertEquals(2, r.exitCode(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("nowhere"), r.err());
    }
}
