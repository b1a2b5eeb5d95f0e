package ldm4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import ldm4j.core.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderReaderTest {
    @TempDir
    Path dir;

    @Test
    void classSubFoldersBecomeAlphabeticalLabels() throws Exception {
        TestFiles.image(dir.resolve("zebra/a.png"), 20, 20, 0xFF000000, "png");
        TestFiles.image(dir.resolve("apple/b.bmp"), 30, 10, 0xFFFFFFFF, "bmp");
        TestFiles.image(dir.resolve("apple/c.png"), 10, 30, 0xFF808080, "png");
        Files.writeString(dir.resolve("apple/.DS_Store"), "not an image, but hidden");
        PreparedData data = FolderReader.read(new DataSource.Folder(dir, 8, 1), ProgressListener.NONE);
        assertEquals(List.of("apple", "zebra"), data.classNames());
        assertArrayEquals(new int[] {0, 0, 1}, data.images().labels());
        assertArrayEquals(new long[] {3, 1, 8, 8}, data.images().shape());
        assertEquals((byte) 255, data.images().image(0)[0]);
        assertEquals((byte) 128, data.images().image(1)[27]);
        assertEquals(0, data.images().image(2)[63]);
    }

    @Test
    void resizeScalesShorterSideAndCropsTheCentre() throws Exception {
        // 64×32: left quarter red, middle half green, right quarter blue. Cropping the centre square
        // after scaling to 16×8 → 8×8 keeps only the green middle.
        BufferedImage img = new BufferedImage(64, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 64; x++) {
                img.setRGB(x, y, x < 16 ? 0xFF0000 : x < 48 ? 0x00FF00 : 0x0000FF);
            }
        }
        ImageIO.write(img, "png", dir.resolve("wide.png").toFile());
        UInt8Images out = FolderReader.read(new DataSource.Folder(dir, 8, 3), ProgressListener.NONE).images();
        assertArrayEquals(new long[] {1, 3, 8, 8}, out.shape());
        assertTrue(!out.labelled());
        byte[] chw = out.image(0);
        for (int k = 0; k < 64; k++) {
            assertEquals(0, chw[k] & 0xFF, 30, "red at " + k);
            assertEquals(255, chw[64 + k] & 0xFF, 30, "green at " + k);
            assertEquals(0, chw[128 + k] & 0xFF, 30, "blue at " + k);
        }
    }

    @Test
    void transparentPixelsAreCompositedOnWhite() throws Exception {
        TestFiles.image(dir.resolve("clear.png"), 16, 16, 0x00000000, "png");
        UInt8Images out = FolderReader.read(new DataSource.Folder(dir, 16, 3), ProgressListener.NONE).images();
        for (byte b : out.image(0)) {
            assertEquals(255, b & 0xFF);
        }
    }

    @Test
    void nonImageFileIsRefusedNamingIt() throws Exception {
        TestFiles.image(dir.resolve("cats/a.png"), 8, 8, 0xFF000000, "png");
        Path notes = dir.resolve("cats/notes.txt");
        Files.writeString(notes, "hello");
        InputException e = assertThrows(InputException.class,
                () -> FolderReader.read(new DataSource.Folder(dir, 8, 3), ProgressListener.NONE));
        assertTrue(e.getMessage().startsWith(notes + ": not a decodable image"), e.getMessage());
    }

    @Test
    void fileBesideClassFoldersIsRefusedNamingIt() throws Exception {
        TestFiles.image(dir.resolve("cats/a.png"), 8, 8, 0xFF000000, "png");
        TestFiles.image(dir.resolve("stray.png"), 8, 8, 0xFF000000, "png");
        InputException e = assertThrows(InputException.class,
                () -> FolderReader.read(new DataSource.Folder(dir, 8, 3), ProgressListener.NONE));
        assertTrue(e.getMessage().startsWith(dir.resolve("stray.png") + ": file outside"), e.getMessage());
    }

    /** A 100-byte PNG whose header declares 20,000×20,000 grey pixels: 400 MB if decoded. */
    @Test
    void imageDeclaringTooManyPixelsIsRefusedBeforeDecoding() throws Exception {
        Path bomb = dir.resolve("cats/bomb.png");
        Files.createDirectories(bomb.getParent());
        Files.write(bomb, TestFiles.pngHeaderOnly(20_000, 20_000));
        assertTrue(Files.size(bomb) < 200);
        InputException e = assertThrows(InputException.class,
                () -> FolderReader.read(new DataSource.Folder(dir, 8, 1), ProgressListener.NONE));
        assertEquals(bomb + ": image is 20000×20000 (400000000 pixels), more than the 100000000 that are decoded; "
                + "scale it down first", e.getMessage());
    }

    @Test
    void fileOrMissingPathAsFolderIsNamedWithWhatWasExpected() throws Exception {
        Path file = dir.resolve("a.png");
        TestFiles.image(file, 8, 8, 0xFF000000, "png");
        String expected = ", expected a folder of images (PNG, JPEG, BMP or GIF), sub-folders for classes";
        InputException e = assertThrows(InputException.class,
                () -> FolderReader.read(new DataSource.Folder(file, 8, 1), ProgressListener.NONE));
        assertEquals(file + ": is a file" + expected, e.getMessage());
        Path missing = dir.resolve("nope");
        e = assertThrows(InputException.class,
                () -> FolderReader.read(new DataSource.Folder(missing, 8, 1), ProgressListener.NONE));
        assertEquals(missing + ": does not exist" + expected, e.getMessage());
    }
}
