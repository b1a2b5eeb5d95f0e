package ldm4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import ldm4j.core.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The npm-package converters, on tiny fake packages laid out like the real ones. */
class PackageConverterTest {
    @TempDir
    Path root;

    @Test
    void fashionMnistSkipsEmptyRowsAndPadsTo32() throws Exception {
        TestFiles.fakeFashionPackage(root, 3);
        List<Long> ticks = new ArrayList<>();
        PreparedData data = PackageConverter.of(BuiltinDataset.FASHION_MNIST)
                .convert(root, (task, done, total) -> ticks.add(done));
        UInt8Images img = data.images();
        assertArrayEquals(new long[] {30, 1, 32, 32}, img.shape());
        assertEquals(10, ticks.size());
        assertEquals("Ankle boot", data.classNames().get(9));
        for (int i = 0; i < 30; i++) {
            int c = i / 3;
            int r = i % 3;
            assertEquals(c, img.label(i));
            byte[] x = img.image(i);
            assertEquals(0, x[0], "padding stays black");
            assertEquals((byte) (c * 20 + r), x[2 * 32 + 2]);
            assertEquals((byte) (c * 20 + r), x[29 * 32 + 29]);
            assertEquals(0, x[30 * 32 + 30]);
        }
    }

    @Test
    void fashionMnistRowOfWrongLengthIsRefusedNamingFileAndRow() throws Exception {
        TestFiles.fakeFashionPackage(root, 2);
        Path f = root.resolve("package/src/clothes/4.json");
        Files.writeString(f, "{\"data\":[[1,2,3]]}");
        InputException e = assertThrows(InputException.class,
                () -> PackageConverter.of(BuiltinDataset.FASHION_MNIST).convert(root, ProgressListener.NONE));
        assertEquals(f + ": data[0] has 3 values, expected 784", e.getMessage());
    }

    @Test
    void packagesHoldingMoreImagesThanTheOutputCanHoldAreRefusedNamingTheFile() throws Exception {
        TestFiles.fakeFashionPackage(root, 3);
        InputException e = assertThrows(InputException.class, () -> new JsonDigitsConverter(BuiltinDataset.FASHION_MNIST,
                JsonDigitsConverter.Layout.ROWS_OF_BYTES, 7).convert(root, ProgressListener.NONE));
        assertEquals(root.resolve("package/src/clothes/2.json") + ": the package holds more than 7 images, "
                + "more than one cache file can hold", e.getMessage());

        TestFiles.fakeMnistPackage(root, 2);
        e = assertThrows(InputException.class, () -> new JsonDigitsConverter(BuiltinDataset.MNIST,
                JsonDigitsConverter.Layout.FLAT_FRACTIONS, 5).convert(root, ProgressListener.NONE));
        assertEquals(root.resolve("package/src/digits/2.json") + ": the package holds more than 5 images, "
                + "more than one cache file can hold", e.getMessage());

        TestFiles.fakeEmojiPackage(root, 3);
        e = assertThrows(InputException.class,
                () -> new EmojiConverter(BuiltinDataset.EMOJI, 2).convert(root, ProgressListener.NONE));
        assertEquals(root.resolve("package/img/google/64/") + ": holds 3 .png files, more than the 2 one cache file "
                + "can hold", e.getMessage());
    }

    @Test
    void mnistFlatFractionsBecomeBytesWithFileNumberAsLabel() throws Exception {
        TestFiles.fakeMnistPackage(root, 2);
        PreparedData data = PackageConverter.of(BuiltinDataset.MNIST).convert(root, ProgressListener.NONE);
        UInt8Images img = data.images();
        assertArrayEquals(new long[] {20, 1, 32, 32}, img.shape());
        for (int i = 0; i < 20; i++) {
            assertEquals(i / 2, img.label(i));
            assertEquals((byte) ((i / 2) * 20 + i % 2), img.image(i)[10 * 32 + 10]);
            assertEquals(0, img.image(i)[31]);
        }
    }

    @Test
    void mnistTruncatedJsonIsRefusedNamingTheFile() throws Exception {
        TestFiles.fakeMnistPackage(root, 1);
        Path f = root.resolve("package/src/digits/7.json");
        String s = Files.readString(f);
        Files.writeString(f, s.substring(0, s.length() / 2));
        InputException e = assertThrows(InputException.class,
                () -> PackageConverter.of(BuiltinDataset.MNIST).convert(root, ProgressListener.NONE));
        assertTrue(e.getMessage().startsWith(f + ": malformed JSON"), e.getMessage());
    }

    @Test
    void emojiAreCompositedOnWhiteAsUnlabelledRgb() throws Exception {
        TestFiles.fakeEmojiPackage(root, 3);
        PreparedData data = PackageConverter.of(BuiltinDataset.EMOJI).convert(root, ProgressListener.NONE);
        UInt8Images img = data.images();
        assertArrayEquals(new long[] {3, 3, 64, 64}, img.shape());
        assertFalse(img.labelled());
        byte[] x = img.image(2);
        int plane = 64 * 64;
        // left half opaque red, right half transparent → white
        assertEquals(255, x[5] & 0xFF);
        assertEquals(0, x[plane + 5] & 0xFF);
        assertEquals(0, x[2 * plane + 5] & 0xFF);
        for (int ch = 0; ch < 3; ch++) {
            assertEquals(255, x[ch * plane + 40] & 0xFF);
        }
    }
}
