package ldm4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import ldm4j.core.io.Npy;
import ldm4j.core.io.NpyArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A dense VAE through train-ae (--latent, --latent-dim, --sigma), sample --vae-prior --temperature and encode. */
class DenseVaeCommandsTest {
    @TempDir
    Path dir;

    private String writeTinyIdx() throws IOException {
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
                    out.writeByte(((p / 16 + i) % 8) < 4 ? 230 : 20);
                }
                lab.writeByte(i % 2);
            }
        }
        return "idx:" + images + "," + labels + "?size=16";
    }

    @Test
    void trainSampleAtATemperatureAndRefuseEncode() throws IOException {
        String spec = writeTinyIdx();
        Path yaml = dir.resolve("tiny.yaml");
        Files.writeString(yaml, "model:\n  ch: 8\n  ch_mult: [1, 2]\n  z_channels: 2\nbatch_size: 8\nwarmup: 1\n"
                + "log_every: 1\n");
        Path run = dir.resolve("run");
        CliTestSupport.Result r = CliTestSupport.run("train-ae", "--data", spec, "--out", run.toString(),
                "--config", yaml.toString(), "--steps", "2", "--loss", "l2", "--sigma", "0.5", "--beta", "1",
                "--latent", "dense", "--latent-dim", "4", "--seed", "3");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("effective 0.5000 relative to the sum_squared_error"), r.out());
        String config = Files.readString(run.resolve("config.yaml"));
        assertTrue(config.contains("latent: \"dense\"") && config.contains("latent_dim: 4")
                && config.contains("image_size: 16") && config.contains("sigma: 0.5"), config);

        r = CliTestSupport.run("reconstruct", "--ae", run.resolve("checkpoint").toString(), "--data", spec,
                "--n", "3", "--out", dir.resolve("recon.png").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("PSNR") && Files.isRegularFile(dir.resolve("recon.png")), r.out());

        Path samples = dir.resolve("samples");
        r = CliTestSupport.run("sample", "--vae-prior", "--ae", run.toString(), "--n", "4", "--batch-size", "3",
                "--temperature", "0", "--out", samples.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("temperature 0.0"), r.out());
        NpyArray cold = Npy.read(samples.resolve("samples.npy"));
        assertArrayEquals(new long[] {4, 1, 16, 16}, cold.shape());
        int size = 256;
        for (int i = 1; i < 4; i++) {
            assertArrayEquals(Arrays.copyOfRange(cold.data(), 0, size),
                    Arrays.copyOfRange(cold.data(), i * size, (i + 1) * size), "sample " + i + " at τ = 0");
        }
        r = CliTestSupport.run("sample", "--vae-prior", "--ae", run.toString(), "--n", "2", "--grid-count", "1",
                "--out", dir.resolve("warm").toString());
        assertEquals(0, r.exitCode(), r.err());
        NpyArray warm = Npy.read(dir.resolve("warm").resolve("samples.npy"));
        java.awt.image.BufferedImage grid = javax.imageio.ImageIO.read(dir.resolve("warm").resolve("grid.png").toFile());
        java.awt.image.BufferedImage coldGrid = javax.imageio.ImageIO.read(samples.resolve("grid.png").toFile());
        assertTrue(grid.getWidth() * grid.getHeight() < coldGrid.getWidth() * coldGrid.getHeight() / 2,
                "--grid-count 1 shows one of the two samples, the default all four: " + grid.getWidth() + "×"
                        + grid.getHeight() + " vs " + coldGrid.getWidth() + "×" + coldGrid.getHeight());
        assertFalse(Arrays.equals(Arrays.copyOfRange(warm.data(), 0, size), Arrays.copyOfRange(warm.data(), size,
                2 * size)), "τ = 1 (the default) draws different samples");

        r = CliTestSupport.run("encode", "--ae", run.resolve("checkpoint").toString(), "--data", spec,
                "--out", dir.resolve("latents").toString());
        assertEquals(2, r.exitCode(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("its latent is a vector of 4, not a spatial map for the UNet"), r.err());
        assertFalse(Files.exists(dir.resolve("latents")));

        r = CliTestSupport.run("sample", "--ae", run.toString(), "--ldm", run.toString(), "--temperature", "0.5",
                "--out", dir.resolve("never").toString());
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("--temperature only applies to --vae-prior"), r.err());
    }
}
