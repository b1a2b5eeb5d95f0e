package ldm4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import ldm4j.core.InputException;
import ldm4j.core.io.Npy;
import ldm4j.core.io.NpyArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatentSetTest {
    @TempDir
    Path dir;

    private static LatentSet tiny() {
        LatentSet.Header h = new LatentSet.Header(2, 2, 2, 3, 1, 10, 1.7, "mean", "fashion-mnist", "abc", "ae",
                "0123abcd");
        float[] train = new float[3 * 8];
        for (int i = 0; i < train.length; i++) {
            train[i] = i * 0.5f - 3;
        }
        return new LatentSet(h, train, new int[] {0, 4, 9}, new float[] {1, 2, 3, 4, 5, 6, 7, 8}, new int[] {-1});
    }

    @Test
    void writeThenReadGivesTheSameLatentsLabelsAndHeader() throws IOException {
        LatentSet s = tiny();
        s.write(dir.resolve("latents"));
        LatentSet back = LatentSet.read(dir.resolve("latents"));
        assertEquals(s.header(), back.header());
        assertArrayEquals(s.train(), back.train());
        assertArrayEquals(s.trainLabels(), back.trainLabels());
        assertArrayEquals(s.test(), back.test());
        assertArrayEquals(s.testLabels(), back.testLabels());
        assertTrue(LatentSet.isLatentDir(dir.resolve("latents")));
    }

    @Test
    void arrayNotMatchingTheHeaderIsNamedInTheError() throws IOException {
        Path d = dir.resolve("latents");
        tiny().write(d);
        Npy.write(d.resolve("test.npy"), NpyArray.ofFloat32(new float[4], 1, 1, 2, 2));
        InputException e = assertThrows(InputException.class, () -> LatentSet.read(d));
        assertTrue(e.getMessage().startsWith(d.resolve("test.npy").toString()), e.getMessage());
    }

    @Test
    void missingDirectoryPointsToEncode() {
        InputException e = assertThrows(InputException.class, () -> LatentSet.read(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("ldm4j encode"), e.getMessage());
    }

    @Test
    void headerRejectsNonPositiveScaleFactor() {
        assertThrows(IllegalArgumentException.class,
                () -> new LatentSet.Header(1, 1, 1, 0, 0, 0, 0.0, "mean", "d", "h", "a", null));
        assertTrue(Files.notExists(dir.resolve("latents")));
    }
}
