package ldm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ldm4j train-classifier} end to end on tiny idx files written by the test; no network. */
class TrainClassifierCommandTest {
    private static final Pattern ACCURACY = Pattern.compile("test accuracy (\\d+\\.\\d\\d)%");

    @TempDir
    Path dir;

    /** 16×16 noise with a bright 4×4 square whose horizontal position (left/middle/right) is the class. */
    private String squares(int perClass, boolean labelled) throws IOException {
        int n = 3 * perClass;
        SplittableRandom random = new SplittableRandom(5);
        Path images = dir.resolve("sq-images.idx");
        Path labels = dir.resolve("sq-labels.idx");
        try (DataOutputStream img = new DataOutputStream(Files.newOutputStream(images));
                DataOutputStream lab = new DataOutputStream(Files.newOutputStream(labels))) {
            img.writeInt(0x00000803);
            img.writeInt(n);
            img.writeInt(16);
            img.writeInt(16);
            lab.writeInt(0x00000801);
            lab.writeInt(n);
            for (int i = 0; i < n; i++) {
                int label = i % 3;
                byte[] p = new byte[256];
                for (int j = 0; j < p.length; j++) {
                    p[j] = (byte) random.nextInt(50);
                }
                int y0 = random.nextInt(12);
                for (int y = y0; y < y0 + 4; y++) {
                    for (int x = 1 + 5 * label; x < 5 + 5 * label; x++) {
                        p[y * 16 + x] = (byte) 230;
                    }
                }
                img.write(p);
                lab.writeByte(label);
            }
        }
        return "idx:" + images + (labelled ? "," + labels : "");
    }

    @Test
    void trainsIntoOutAndPrintsTheTestAccuracy() throws IOException {
        Path out = dir.resolve("clf");
        CliTestSupport.Result r = CliTestSupport.run("train-classifier", "--data", squares(30, true), "--out",
                out.toString(), "--steps", "12", "--batch-size", "16", "--seed", "3");
        assertEquals(0, r.exitCode(), r.err());
        Matcher m = ACCURACY.matcher(r.out());
        assertTrue(m.find(), r.out());
        double percent = Double.parseDouble(m.group(1));
        assertTrue(percent >= 0 && percent <= 100, r.out());
        assertTrue(r.out().contains("classifier written to " + out), r.out());
        assertTrue(Files.isRegularFile(out.resolve("checkpoint").resolve("model.safetensors")));
        assertTrue(Files.isRegularFile(out.resolve("train-log.csv")));
    }

    @Test
    void withoutOutTheNetworkIsCachedAndReusedOnTheSecondRun() throws IOException {
        String spec = squares(10, true);
        String[] args = {"train-classifier", "--data", spec, "--steps", "4", "--batch-size", "8"};
        CliTestSupport.Result first = CliTestSupport.run(args);
        assertEquals(0, first.exitCode(), first.err());
        assertTrue(first.out().contains("feature network cached in "), first.out());
        CliTestSupport.Result second = CliTestSupport.run(args);
        assertEquals(0, second.exitCode(), second.err());
        assertTrue(second.out().contains("reusing the cached feature network in "), second.out());
        Matcher a = ACCURACY.matcher(first.out());
        Matcher b = ACCURACY.matcher(second.out());
        assertTrue(a.find() && b.find());
        assertEquals(a.group(1), b.group(1));
    }

    @Test
    void badFlagValueIsOneLineAndExitTwo() {
        CliTestSupport.Result r = CliTestSupport.run("train-classifier", "--data", "mnist", "--steps", "many");
        assertEquals(2, r.exitCode());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("--steps"), r.err());
    }

    @Test
    void missingDataIsExitTwo() {
        CliTestSupport.Result r = CliTestSupport.run("train-classifier", "--steps", "3");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--data"), r.err());
    }

    @Test
    void unlabelledDataIsOneLineAndExitTwo() throws IOException {
        CliTestSupport.Result r = CliTestSupport.run("train-classifier", "--data", squares(5, false), "--out",
                dir.resolve("never").toString(), "--steps", "2");
        assertEquals(2, r.exitCode(), r.out());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("no class labels"), r.err());
        assertTrue(Files.notExists(dir.resolve("never")));
    }
}
