package ldm4j.core.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import ldm4j.core.InputException;
import ldm4j.core.io.InputFiles;

/**
 * Reads MNIST-format idx files (LeCun et al.), raw or gzip-compressed.
 *
 * <p>Layout, all integers big-endian: magic 0x00000803, N, rows, cols, then N·rows·cols unsigned
 * bytes for images; magic 0x00000801, N, then N bytes for labels. Gzip is detected from the
 * content, not the file name.
 *
 * <p>The file is streamed: the reader takes the header's word for how much data follows, reads that
 * much and one byte more, and refuses a file with more. A small gzip file that expands to gigabytes
 * therefore costs no more memory than its header declares.
 */
public final class IdxReader {
    /** Magic number of an idx file of unsigned bytes with three dimensions (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an idx file of unsigned bytes with one dimension (labels). */
    public static final int LABELS_MAGIC = 0x00000801;

    private static final String IMAGES = "an idx images file (magic 0x00000803, raw or gzip)";
    private static final String LABELS = "an idx labels file (magic 0x00000801, raw or gzip)";

    private IdxReader() {}

    /** One idx file: the dimensions its header gives and exactly the data they declare. */
    record Content(int[] dims, byte[] data) {}

    /**
     * Reads images (and labels if given) and zero-pads each image to a centred square.
     *
     * <p>The square's side is {@code source.size()}, or when that is 0 the larger image side
     * rounded up to a multiple of 16 (28 becomes 32, as for the built-in MNIST sets).
     */
    public static PreparedData read(DataSource.Idx source) throws IOException {
        Path file = source.images();
        Content images;
        try (InputStream in = InputFiles.open(file, IMAGES)) {
            images = read(in, file, IMAGES_MAGIC, source.size());
        } catch (IOException e) {
            throw InputFiles.fault(file, e, IMAGES);
        }
        int n = images.dims()[0];
        int rows = images.dims()[1];
        int cols = images.dims()[2];
        int size = paddedSize(source.size(), rows, cols);
        byte[] raw = images.data();
        byte[] pixels = new byte[n * size * size];
        for (int i = 0; i < n; i++) {
            ImageOps.padGrey(raw, i * rows * cols, rows, cols, size, pixels, i * size * size);
        }
        int[] labels = source.labels() == null ? null : readLabels(source.labels(), file, n);
        return new PreparedData(new UInt8Images(n, 1, size, size, pixels, labels), List.of(), "", null);
    }

    private static int paddedSize(int size, int rows, int cols) {
        return size > 0 ? size : (Math.max(rows, cols) + 15) / 16 * 16;
    }

    private static int[] readLabels(Path file, Path imagesFile, int imageCount) throws IOException {
        Content content;
        try (InputStream in = InputFiles.open(file, LABELS)) {
            content = read(in, file, LABELS_MAGIC, 0);
        } catch (IOException e) {
            throw InputFiles.fault(file, e, LABELS);
        }
        int n = content.dims()[0];
        if (n != imageCount) {
            throw InputException.inFile(file, "holds " + n + " labels but " + imagesFile + " holds "
                    + imageCount + " images");
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = content.data()[i] & 0xFF;
        }
        return labels;
    }

    /**
     * Reads one idx file from {@code raw} (gunzipping it when it starts with 1f 8b): the header, then
     * exactly the bytes it declares; never more than those plus one, which tells trailing data apart.
     *
     * @param file names the file in errors
     * @param magic {@link #IMAGES_MAGIC} or {@link #LABELS_MAGIC}
     * @param size the images' padded side (0 for the default); checked against the header before any
     *     data is read
     */
    static Content read(InputStream raw, Path file, int magic, int size) throws IOException {
        boolean images = magic == IMAGES_MAGIC;
        int headerBytes = images ? 16 : 8;
        try (InputStream in = decompressed(raw)) {
            ByteBuffer header = ByteBuffer.wrap(in.readNBytes(headerBytes));
            expectMagic(file, header, magic, headerBytes);
            int[] dims = new int[images ? 3 : 1];
            for (int d = 0; d < dims.length; d++) {
                dims[d] = header.getInt();
            }
            long declared = declaredBytes(file, dims, size);
            String what = images ? dims[0] + " images of " + dims[1] + "×" + dims[2] : dims[0] + " labels";
            byte[] data = in.readNBytes((int) declared); // grows with what is there, not with the claim
            if (data.length < declared) {
                throw InputException.inFile(file, "truncated: header says " + what + " (" + declared
                        + " bytes) but only " + data.length + " bytes follow");
            }
            if (in.read() >= 0) {
                throw InputException.inFile(file, "more data follows the " + declared + " bytes the header declares ("
                        + what + "); expected the file to end there");
            }
            return new Content(dims, data);
        } catch (EOFException | ZipException e) {
            throw InputException.inFile(file, "truncated or corrupt gzip data (" + e.getMessage() + ")", e);
        }
    }

    /** {@code raw} itself, or gunzipped when it starts with the gzip magic 1f 8b. */
    private static InputStream decompressed(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
    }

    /** N·rows·cols (or N), refusing a header whose data, or whose padded images, no array can hold. */
    private static long declaredBytes(Path file, int[] dims, int size) {
        if (dims.length == 1) {
            if (dims[0] < 0) {
                throw InputException.inFile(file, "bad label count " + dims[0]);
            }
            return dims[0];
        }
        int n = dims[0];
        int rows = dims[1];
        int cols = dims[2];
        if (n < 0 || rows <= 0 || cols <= 0) {
            throw InputException.inFile(file, "bad dimensions " + n + "×" + rows + "×" + cols);
        }
        int side = paddedSize(size, rows, cols);
        if (side < rows || side < cols) {
            throw InputException.inFile(file, "images are " + rows + "×" + cols + ", larger than size=" + side);
        }
        long declared = (long) n * rows * cols;
        if (declared > UInt8Images.MAX_BYTES || (long) n * side * side > UInt8Images.MAX_BYTES) {
            throw InputException.inFile(file, "header declares " + n + " images of " + rows + "×" + cols
                    + ", more than one array of at most " + UInt8Images.MAX_BYTES + " bytes can hold");
        }
        return declared;
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
}
