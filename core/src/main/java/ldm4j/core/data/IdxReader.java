package ldm4j.core.data;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import ldm4j.core.InputException;

/**
 * Reads MNIST-format idx files (LeCun et al.), raw or gzip-compressed.
 *
 * <p>Layout, all integers big-endian: magic 0x00000803, N, rows, cols, then N·rows·cols unsigned
 * bytes for images; magic 0x00000801, N, then N bytes for labels. Gzip is detected from the
 * content, not the file name.
 */
public final class IdxReader {
    /** Magic number of an idx file of unsigned bytes with three dimensions (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an idx file of unsigned bytes with one dimension (labels). */
    public static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {}

    /**
     * Reads images (and labels if given) and zero-pads each image to a centred square.
     *
     * <p>The square's side is {@code source.size()}, or when that is 0 the larger image side
     * rounded up to a multiple of 16 (28 becomes 32, as for the built-in MNIST sets).
     */
    public static PreparedData read(DataSource.Idx source) throws IOException {
        Path file = source.images();
        ByteBuffer buf = ByteBuffer.wrap(readMaybeGzip(file));
        expectMagic(file, buf, IMAGES_MAGIC, 16);
        int n = buf.getInt();
        int rows = buf.getInt();
        int cols = buf.getInt();
        if (n < 0 || rows <= 0 || cols <= 0) {
            throw InputException.inFile(file, "bad dimensions " + n + "×" + rows + "×" + cols);
        }
        checkLength(file, buf, (long) n * rows * cols, n + " images of " + rows + "×" + cols);
        int size = source.size() > 0 ? source.size() : (Math.max(rows, cols) + 15) / 16 * 16;
        if (size < rows || size < cols) {
            throw InputException.inFile(file, "images are " + rows + "×" + cols + ", larger than size=" + size);
        }
        byte[] raw = new byte[n * rows * cols];
        buf.get(raw);
        byte[] pixels = new byte[n * size * size];
        for (int i = 0; i < n; i++) {
            ImageOps.padGrey(raw, i * rows * cols, rows, cols, size, pixels, i * size * size);
        }
        int[] labels = source.labels() == null ? null : readLabels(source.labels(), file, n);
        return new PreparedData(new UInt8Images(n, 1, size, size, pixels, labels), List.of(), "", null);
    }

    private static int[] readLabels(Path file, Path imagesFile, int imageCount) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(readMaybeGzip(file));
        expectMagic(file, buf, LABELS_MAGIC, 8);
        int n = buf.getInt();
        if (n < 0) {
            throw InputException.inFile(file, "bad label count " + n);
        }
        checkLength(file, buf, n, n + " labels");
        if (n != imageCount) {
            throw InputException.inFile(file, "holds " + n + " labels but " + imagesFile + " holds "
                    + imageCount + " images");
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = buf.get() & 0xFF;
        }
        return labels;
    }

    /** Reads the magic, which must be {@code expected}, then checks the header is whole. */
    private static void expectMagic(Path file, ByteBuffer buf, int expected, int headerBytes) {
        requireHeader(file, buf, 4);
        int magic = buf.getInt();
        if (magic != expected) {
            boolean images = expected == IMAGES_MAGIC;
            boolean swapped = magic == (images ? LABELS_MAGIC : IMAGES_MAGIC);
            throw InputException.inFile(file, String.format("wrong magic 0x%08X, expected 0x%08X for idx %s%s",
                    magic, expected, images ? "images" : "labels",
                    swapped ? " (this looks like " + (images ? "a label" : "an image") + " file)" : ""));
        }
        requireHeader(file, buf, headerBytes);
    }

    /** Checks that the whole header is there; {@code headerBytes} counts from the file's start. */
    private static void requireHeader(Path file, ByteBuffer buf, int headerBytes) {
        if (buf.limit() < headerBytes) {
            throw InputException.inFile(file, "truncated: " + buf.limit() + " bytes, shorter than the "
                    + headerBytes + "-byte idx header");
        }
    }

    private static void checkLength(Path file, ByteBuffer buf, long expected, String what) {
        if (buf.remaining() < expected) {
            throw InputException.inFile(file, "truncated: header says " + what + " (" + expected
                    + " bytes) but only " + buf.remaining() + " bytes follow");
        }
        if (buf.remaining() > expected) {
            throw InputException.inFile(file, "header says " + what + " (" + expected + " bytes) but "
                    + buf.remaining() + " bytes follow");
        }
    }

    /** The file's bytes, gunzipped when they start with the gzip magic 1f 8b. */
    static byte[] readMaybeGzip(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw InputException.inFile(file, "no such file");
        }
        if (bytes.length < 2 || (bytes[0] & 0xFF) != 0x1f || (bytes[1] & 0xFF) != 0x8b) {
            return bytes;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        } catch (EOFException | ZipException e) {
            throw InputException.inFile(file, "truncated or corrupt gzip data (" + e.getMessage() + ")", e);
        }
    }
}
