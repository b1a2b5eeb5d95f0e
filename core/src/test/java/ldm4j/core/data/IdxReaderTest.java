package ldm4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import ldm4j.core.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path tmp;

    private Path write(String name, byte[] bytes) throws Exception {
        Path p = tmp.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void rawIdxRoundTripsPixelsAndLabelsPaddedToThirtyTwo() throws Exception {
        Path images = write("img.idx", TestFiles.idxImages(3, 28, 28));
        Path labels = write("lab.idx", TestFiles.idxLabels(4, 0, 9));
        UInt8Images out = IdxReader.read(new DataSource.Idx(images, labels, 0)).images();
        assertArrayEquals(new long[] {3, 1, 32, 32}, out.shape());
        assertArrayEquals(new int[] {4, 0, 9}, out.labels());
        byte[] img1 = out.image(1);
        // 2 rows/columns of zero padding each side; inside, pixel k of image 1 is (31 + k) mod 256
        assertEquals(0, img1[0]);
        assertEquals(0, img1[32 + 1]);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                assertEquals((byte) ((31 + y * 28 + x) % 256), img1[(y + 2) * 32 + x + 2]);
            }
        }
    }

    @Test
    void gzipIdxReadsTheSameAsRaw() throws Exception {
        byte[] rawImages = TestFiles.idxImages(5, 28, 28);
        byte[] rawLabels = TestFiles.idxLabels(1, 2, 3, 4, 5);
        UInt8Images raw = IdxReader.read(new DataSource.Idx(write("a", rawImages), write("b", rawLabels), 0)).images();
        UInt8Images gz = IdxReader.read(new DataSource.Idx(write("a.gz", TestFiles.gzip(rawImages)),
                write("b.gz", TestFiles.gzip(rawLabels)), 0)).images();
        assertArrayEquals(raw.pixels(), gz.pixels());
        assertArrayEquals(raw.labels(), gz.labels());
    }

    @Test
    void idxWithoutLabelsIsUnlabelledAndHonoursSize() throws Exception {
        UInt8Images out = IdxReader.read(new DataSource.Idx(write("a", TestFiles.idxImages(2, 5, 7)), null, 0)).images();
        assertEquals(16, out.height());
        assertTrue(!out.labelled());
        UInt8Images sized = IdxReader.read(new DataSource.Idx(tmp.resolve("a"), null, 9)).images();
        assertEquals(9, sized.width());
    }

    @Test
    void wrongMagicIsRefusedNamingTheFile() throws Exception {
        Path labelsAsImages = write("labels-as-images", TestFiles.idxLabels(1, 2));
        InputException e = assertThrows(InputException.class,
                () -> IdxReader.read(new DataSource.Idx(labelsAsImages, null, 0)));
        assertTrue(e.getMessage().startsWith(labelsAsImages + ": wrong magic 0x00000801"), e.getMessage());

        Path images = write("img", TestFiles.idxImages(2, 28, 28));
        Path imagesAsLabels = write("img2", TestFiles.idxImages(2, 28, 28));
        e = assertThrows(InputException.class, () -> IdxReader.read(new DataSource.Idx(images, imagesAsLabels, 0)));
        assertTrue(e.getMessage().startsWith(imagesAsLabels + ": wrong magic 0x00000803"), e.getMessage());
    }

    @Test
    void truncatedIdxIsRefusedNamingTheFile() throws Exception {
        byte[] full = TestFiles.idxImages(3, 28, 28);
        Path cut = write("cut", Arrays.copyOf(full, full.length - 10));
        InputException e = assertThrows(InputException.class, () -> IdxReader.read(new DataSource.Idx(cut, null, 0)));
        assertTrue(e.getMessage().startsWith(cut + ": truncated"), e.getMessage());

        Path header = write("hdr", Arrays.copyOf(full, 9));
        e = assertThrows(InputException.class, () -> IdxReader.read(new DataSource.Idx(header, null, 0)));
        assertTrue(e.getMessage().startsWith(header + ": truncated"), e.getMessage());

        byte[] gz = TestFiles.gzip(full);
        Path cutGz = write("cut.gz", Arrays.copyOf(gz, gz.length / 2));
        e = assertThrows(InputException.class, () -> IdxReader.read(new DataSource.Idx(cutGz, null, 0)));
        assertTrue(e.getMessage().startsWith(cutGz + ": truncated"), e.getMessage());
    }

    @Test
    void imageAndLabelCountMismatchIsRefusedNamingBothFiles() throws Exception {
        Path images = write("img", TestFiles.idxImages(3, 28, 28));
        Path labels = write("lab", TestFiles.idxLabels(1, 2));
        InputException e = assertThrows(InputException.class, () -> IdxReader.read(new DataSource.Idx(images, labels, 0)));
        assertEquals(labels + ": holds 2 labels but " + images + " holds 3 images", e.getMessage());
    }

    /** The file: its header declares 1,000 images of 28×28 (784,000 bytes); it expands to 4.5 GiB. */
    @Test
    void gzipThatExpandsToGigabytesIsRefusedAfterTheDeclaredBytes() throws Exception {
        byte[] header = Arrays.copyOf(TestFiles.idxImages(1000, 28, 28), 16);
        byte[] bomb = TestFiles.gzipBomb(header, 288);
        Path file = write("bomb.idx.gz", bomb);
        InputException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> assertThrows(InputException.class, () -> IdxReader.read(new DataSource.Idx(file, null, 0))));
        assertEquals(file + ": more data follows the 784000 bytes the header declares (1000 images of 28×28); "
                + "expected the file to end there", e.getMessage());

        // the reader stopped early: it took a few buffers of the 4.6 MB of compressed bytes, not all of them
        TestFiles.CountingInputStream in = new TestFiles.CountingInputStream(new ByteArrayInputStream(bomb));
        assertThrows(InputException.class, () -> IdxReader.read(in, file, IdxReader.IMAGES_MAGIC, 0));
        assertTrue(in.count < 256 << 10, in.count + " of " + bomb.length + " compressed bytes read");
    }

    @Test
    void readerTakesTheDeclaredBytesPlusABufferNotTheWholeStream() throws Exception {
        // stored (uncompressed) gzip: compressed bytes read ≈ expanded bytes read
        byte[] declared = TestFiles.idxImages(2, 28, 28);
        byte[] stream = TestFiles.gzipStored(Arrays.copyOf(declared, declared.length + (8 << 20)));
        TestFiles.CountingInputStream in = new TestFiles.CountingInputStream(new ByteArrayInputStream(stream));
        Path name = tmp.resolve("long.idx.gz");
        InputException e = assertThrows(InputException.class, () -> IdxReader.read(in, name, IdxReader.IMAGES_MAGIC, 0));
        assertTrue(e.getMessage().startsWith(name + ": more data follows the 1568 bytes"), e.getMessage());
        // 16 + 1,568 bytes, then at most the two 64 KiB read-ahead buffers (raw and gzip)
        assertTrue(in.count <= 16 + 1568 + (2 << 16) + 1024, in.count + " bytes read");
    }

    @Test
    void rawFileLongerThanItsHeaderIsRefusedNamingIt() throws Exception {
        byte[] full = TestFiles.idxImages(3, 4, 4);
        Path longer = write("longer.idx", Arrays.copyOf(full, full.length + 5));
        InputException e = assertThrows(InputException.class, () -> IdxReader.read(new DataSource.Idx(longer, null, 0)));
        assertTrue(e.getMessage().startsWith(longer + ": more data follows the 48 bytes the header declares (3 images"),
                e.getMessage());
    }

    @Test
    void labelFileThatExpandsPastItsHeaderIsRefusedNamingIt() throws Exception {
        Path images = write("img", TestFiles.idxImages(2, 4, 4));
        Path labels = write("lab.gz", TestFiles.gzipBomb(TestFiles.idxLabels(1, 2), 4));
        InputException e = assertThrows(InputException.class, () -> IdxReader.read(new DataSource.Idx(images, labels, 0)));
        assertTrue(e.getMessage().startsWith(labels + ": more data follows the 2 bytes the header declares (2 labels)"),
                e.getMessage());
    }

    @Test
    void headerDeclaringMoreThanAnArrayHoldsIsRefusedBeforeReading() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(16).putInt(IdxReader.IMAGES_MAGIC).putInt(3_000_000).putInt(28).putInt(28);
        Path huge = write("huge.idx", b.array());
        InputException e = assertThrows(InputException.class, () -> IdxReader.read(new DataSource.Idx(huge, null, 0)));
        assertTrue(e.getMessage().startsWith(huge + ": header declares 3000000 images of 28×28, more than"), e.getMessage());
    }

    @Test
    void directoryMissingOrUnreadablePathIsNamedWithWhatWasExpected() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("a-dir"));
        InputException e = assertThrows(InputException.class, () -> IdxReader.read(new DataSource.Idx(dir, null, 0)));
        assertEquals(dir + ": is a directory, expected an idx images file (magic 0x00000803, raw or gzip)", e.getMessage());

        Path images = write("img", TestFiles.idxImages(2, 4, 4));
        Path missing = tmp.resolve("no-labels");
        e = assertThrows(InputException.class, () -> IdxReader.read(new DataSource.Idx(images, missing, 0)));
        assertEquals(missing + ": does not exist, expected an idx labels file (magic 0x00000801, raw or gzip)",
                e.getMessage());
    }
}
