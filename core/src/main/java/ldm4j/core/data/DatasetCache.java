package ldm4j.core.data;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import ldm4j.core.InputException;
import ldm4j.core.io.AtomicFiles;

/**
 * Reads and writes one dataset's cache directory:
 * <pre>
 *   header.json   {@link CacheHeader}: shape, classes, split sizes, mean/std, file sizes and sha256
 *   images.u8     N×C×H×W uint8
 *   labels.i32    N int32 little-endian (absent when unlabelled)
 *   split.u8      N bytes, 0 = train, 1 = test
 * </pre>
 * The directory is written whole through {@link AtomicFiles#writeDirectory}, so a failed
 * preparation leaves nothing. Loading checks every file's size and sha256 against the header.
 */
public final class DatasetCache {
    /** Header file name. */
    public static final String HEADER = "header.json";
    /** Image file name. */
    public static final String IMAGES = "images.u8";
    /** Label file name. */
    public static final String LABELS = "labels.i32";
    /** Split file name. */
    public static final String SPLIT = "split.u8";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private DatasetCache() {}

    /**
     * Writes the cache directory {@code dir} atomically.
     *
     * @param name dataset name or spec
     * @param source npm spec or user spec
     * @param split one byte per image, 1 = test
     * @param splitSeed the split's seed, -1 when the source defined it
     */
    public static void write(Path dir, String name, String source, PreparedData data, byte[] split, long splitSeed)
            throws IOException {
        UInt8Images img = data.images();
        byte[] labels = img.labelled() ? labelBytes(img.labels()) : null;
        int test = 0;
        for (byte b : split) {
            test += b;
        }
        double[][] stats = meanStd(img);
        Map<String, CacheHeader.FileEntry> files = new LinkedHashMap<>();
        files.put(IMAGES, entry(img.pixels()));
        if (labels != null) {
            files.put(LABELS, entry(labels));
        }
        files.put(SPLIT, entry(split));
        int numClasses = 0;
        if (img.labelled()) {
            for (int l : img.labels()) {
                numClasses = Math.max(numClasses, l + 1);
            }
            numClasses = Math.max(numClasses, data.classNames().size());
        }
        CacheHeader header = new CacheHeader(CacheHeader.FORMAT, name, source, data.version(), img.count(),
                img.channels(), img.height(), img.width(), numClasses, data.classNames(), img.count() - test, test,
                splitSeed, stats[0], stats[1], files);
        AtomicFiles.writeDirectory(dir, tmp -> {
            Files.write(tmp.resolve(IMAGES), img.pixels());
            if (labels != null) {
                Files.write(tmp.resolve(LABELS), labels);
            }
            Files.write(tmp.resolve(SPLIT), split);
            // header last: its presence marks a complete directory even to a reader that ignores the rename
            JSON.writeValue(tmp.resolve(HEADER).toFile(), header);
        });
    }

    /** True when {@code dir} holds a header in the current format. */
    public static boolean isCached(Path dir) {
        if (!Files.isRegularFile(dir.resolve(HEADER))) {
            return false;
        }
        try {
            return readHeader(dir).format() == CacheHeader.FORMAT;
        } catch (IOException | InputException e) {
            return true; // let load() report what is wrong with it
        }
    }

    /**
     * Loads and verifies a cache directory.
     *
     * @throws InputException naming the file when one is missing, has the wrong size or checksum,
     *     or the header is malformed
     */
    public static Dataset load(Path dir) throws IOException {
        CacheHeader h = readHeader(dir);
        long imageBytes = (long) h.count() * h.channels() * h.height() * h.width();
        byte[] pixels = verified(dir, h, IMAGES, imageBytes);
        byte[] split = verified(dir, h, SPLIT, h.count());
        int[] labels = null;
        if (h.files().containsKey(LABELS)) {
            byte[] raw = verified(dir, h, LABELS, 4L * h.count());
            labels = new int[h.count()];
            ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(labels);
        }
        UInt8Images images = new UInt8Images(h.count(), h.channels(), h.height(), h.width(), pixels, labels);
        return new Dataset(dir, h, images, split);
    }

    static CacheHeader readHeader(Path dir) throws IOException {
        Path file = dir.resolve(HEADER);
        CacheHeader h;
        try {
            h = JSON.readValue(file.toFile(), CacheHeader.class);
        } catch (JacksonException e) {
            throw InputException.inFile(file, "corrupt cache header (" + e.getOriginalMessage()
                    + "); delete " + dir + " to rebuild it", e);
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw InputException.inFile(file, "missing cache header; delete " + dir + " to rebuild it");
        }
        if (h.files() == null || h.count() < 0 || h.channels() <= 0 || h.height() <= 0 || h.width() <= 0) {
            throw InputException.inFile(file, "corrupt cache header (bad shape or no file list); delete "
                    + dir + " to rebuild it");
        }
        return h;
    }

    private static byte[] verified(Path dir, CacheHeader h, String name, long expectedBytes) throws IOException {
        Path file = dir.resolve(name);
        CacheHeader.FileEntry entry = h.files().get(name);
        if (entry == null || entry.bytes() != expectedBytes) {
            throw InputException.inFile(dir.resolve(HEADER), "corrupt cache header: " + name
                    + " should be " + expectedBytes + " bytes; delete " + dir + " to rebuild it");
        }
        if (!Files.isRegularFile(file)) {
            throw InputException.inFile(file, "missing cache file; delete " + dir + " to rebuild it");
        }
        long size = Files.size(file);
        if (size != entry.bytes()) {
            throw InputException.inFile(file, "corrupt cache file: " + size + " bytes, header says "
                    + entry.bytes() + "; delete " + dir + " to rebuild it");
        }
        byte[] bytes = Files.readAllBytes(file);
        String sha = sha256(bytes);
        if (!sha.equals(entry.sha256())) {
            throw InputException.inFile(file, "corrupt cache file: sha256 " + sha + " does not match the header's "
                    + entry.sha256() + "; delete " + dir + " to rebuild it");
        }
        return bytes;
    }

    private static CacheHeader.FileEntry entry(byte[] bytes) {
        return new CacheHeader.FileEntry(bytes.length, sha256(bytes));
    }

    private static byte[] labelBytes(int[] labels) {
        ByteBuffer buf = ByteBuffer.allocate(4 * labels.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asIntBuffer().put(labels);
        return buf.array();
    }

    /** Per-channel mean and standard deviation of the pixels, scaled to [0, 1]. */
    static double[][] meanStd(UInt8Images img) {
        int c = img.channels();
        int plane = img.height() * img.width();
        double[] mean = new double[c];
        double[] std = new double[c];
        byte[] p = img.pixels();
        for (int ch = 0; ch < c; ch++) {
            long sum = 0;
            long sumSq = 0;
            for (int i = 0; i < img.count(); i++) {
                int off = (i * c + ch) * plane;
                for (int k = 0; k < plane; k++) {
                    int v = p[off + k] & 0xFF;
                    sum += v;
                    sumSq += (long) v * v;
                }
            }
            double n = (double) img.count() * plane;
            double m = n == 0 ? 0 : sum / n;
            double var = n == 0 ? 0 : Math.max(0, sumSq / n - m * m);
            mean[ch] = m / 255.0;
            std[ch] = Math.sqrt(var) / 255.0;
        }
        return new double[][] {mean, std};
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
