package ldm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data commands on small idx files written by the test; no network. */
class DataCommandTest {
    @TempDir
    Path dir;

    private Path writeIdx(int n, int magic, int declared) throws IOException {
        Path images = dir.resolve("images-" + magic + "-" + n + ".idx");
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(images))) {
            out.writeInt(magic);
            out.writeInt(declared);
            out.writeInt(8);
            out.writeInt(8);
            for (int i = 0; i < n * 64; i++) {
                out.writeByte((i * 7) & 0xFF);
            }
        }
        return images;
    }

    private Path writeLabels(int n) throws IOException {
        Path labels = dir.resolve("labels-" + n + ".idx");
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(labels))) {
            out.writeInt(0x00000801);
            out.writeInt(n);
            for (int i = 0; i < n; i++) {
                out.writeByte(i % 3);
            }
        }
        return labels;
    }

    @Test
    void infoReportsCountShapeClassesAndSplit() throws IOException {
        String spec = "idx:" + writeIdx(21, 0x00000803, 21) + "," + writeLabels(21) + "?size=8";
        CliTestSupport.Result r = CliTestSupport.run("data", "info", spec);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("images    21 (train 18 / test 3)"), r.out());
        assertTrue(r.out().contains("shape     1×8×8"), r.out());
        assertTrue(r.out().contains("classes   3"), r.out());
    }

    @Test
    void previewWritesAGridOfTheRequestedSize() throws IOException {
        String spec = "idx:" + writeIdx(10, 0x00000803, 10) + "?size=8";
        Path png = dir.resolve("out/grid.png");
        CliTestSupport.Result r =
                CliTestSupport.run("data", "preview", spec, "--out", png.toString(), "--n", "4", "--scale", "1");
        assertEquals(0, r.exitCode(), r.err());
        BufferedImage img = ImageIO.read(png.toFile());
        // 2×2 grid of 8-pixel images with 2-pixel padding around and between: 2 + 2·(8 + 2) = 22
        assertEquals(22, img.getWidth());
        assertEquals(22, img.getHeight());
    }

    @Test
    void wrongIdxMagicIsOneLineExitTwoAndNoPreviewFile() throws IOException {
        Path bad = writeIdx(4, 0x00000802, 4);
        Path png = dir.resolve("never.png");
        CliTestSupport.Result r = CliTestSupport.run("data", "preview", "idx:" + bad, "--out", png.toString());
        assertEquals(2, r.exitCode());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(bad.getFileName().toString()) && r.err().contains("magic"), r.err());
        assertTrue(Files.notExists(png));
    }

    @Test
    void fetchRefusesSpecsWithAHint() {
        CliTestSupport.Result r = CliTestSupport.run("data", "fetch", "folder:" + dir);
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("only built-in datasets are fetched"), r.err());
    }

    @Test
    void unknownDatasetNameIsAClearError() {
        CliTestSupport.Result r = CliTestSupport.run("data", "info", "fashion-mnits");
        assertEquals(2, r.exitCode());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
