package ldm4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ldm4j.core.data.LatentSet;
import ldm4j.core.io.Npy;
import ldm4j.core.io.NpyArray;
import ldm4j.core.metrics.ReconstructionMetrics;
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
        assertPrintedScoresAreThoseOfTheWrittenPixels(r.out(), dir.resolve("recon-originals.npy"),
                dir.resolve("recon-reconstructions.npy"), 4);

        Path latents = dir.resolve("latents");
        r = CliTestSupport.run("encode", "--ae", run.resolve("checkpoint").toString(), "--data", spec,
                "--out", latents.toString(), "--mode", "sample");
        assertEquals(0, r.exitCode(), r.err());
        LatentSet set = LatentSet.read(latents);
        assertEquals(28, set.header().trainCount() + set.header().testCount());
        assertEquals("sample", set.header().mode());
    }

    /**
     * reconstruct writes the uint8 N×C×H×W pixels it scored; scoring those files (as scikit-image
     * would, see ReconstructionMetricsReferenceTest) gives the printed PSNR and SSIM to 1e-4.
     */
    private static void assertPrintedScoresAreThoseOfTheWrittenPixels(String out, Path originals, Path reconstructions,
            int n) {
        Matcher printed = Pattern.compile("PSNR (\\S+) dB, SSIM (\\S+) over " + n + " ").matcher(out);
        assertTrue(printed.find(), out);
        NpyArray a = Npy.read(originals);
        NpyArray b = Npy.read(reconstructions);
        for (NpyArray x : new NpyArray[] {a, b}) {
            assertEquals(NpyArray.UINT8, x.dtype());
            assertArrayEquals(new long[] {n, 1, 16, 16}, x.shape());
        }
        for (byte p : a.data()) {
            assertTrue(p == (byte) 230 || p == 20, "originals hold the dataset's pixels, found " + (p & 0xFF));
        }
        assertEquals(Double.parseDouble(printed.group(1)), ReconstructionMetrics.psnr(a.data(), b.data(), n, 1, 16, 16),
                0.5e-4 + 1e-9, out);
        assertEquals(Double.parseDouble(printed.group(2)), ReconstructionMetrics.ssim(a.data(), b.data(), n, 1, 16, 16),
                0.5e-4 + 1e-9, out);
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
