package ldm4j.core.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import ldm4j.core.InputException;
import ldm4j.core.io.InputFiles;

/**
 * Reads the CIFAR-10 binary version: data_batch_1..5.bin and test_batch.bin, each a run of 3,073-byte
 * records (one label byte 0..9, then 1,024 red, 1,024 green and 1,024 blue bytes of a 32×32 image).
 *
 * <p>The records are already C×H×W, so they are copied as they are. The official test batch becomes
 * the test split. Class names come from batches.meta.txt when it is there.
 */
public final class Cifar10Reader {
    /** The training batch files, in order. */
    public static final List<String> TRAIN_FILES =
            List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    /** The test batch file. */
    public static final String TEST_FILE = "test_batch.bin";

    private static final int SIDE = 32;
    private static final int IMAGE_BYTES = 3 * SIDE * SIDE;
    private static final int RECORD_BYTES = 1 + IMAGE_BYTES;
    private static final String BATCH = "a CIFAR-10 batch of " + RECORD_BYTES + "-byte records";
    private static final String META = "CIFAR-10's batches.meta.txt, ten class names";
    /** Ten class names take a few dozen bytes; a meta file far larger is not one. */
    private static final int MAX_META_BYTES = 1 << 16;
    private static final List<String> DEFAULT_CLASSES = List.of(
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    private Cifar10Reader() {}

    /** The batch files this reader needs, training batches first. */
    public static List<Path> files(Path dir) {
        List<Path> files = new ArrayList<>();
        TRAIN_FILES.forEach(f -> files.add(dir.resolve(f)));
        files.add(dir.resolve(TEST_FILE));
        return files;
    }

    /** Reads all six batches of {@code source.dir()}. */
    public static PreparedData read(DataSource.Cifar10 source, ProgressListener progress) throws IOException {
        InputFiles.requireDirectory(source.dir(), "a directory with the CIFAR-10 binary batches");
        List<Path> files = files(source.dir());
        long total = 0;
        long[] sizes = new long[files.size()];
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            InputFiles.requireFile(file, BATCH + " (cifar10: needs data_batch_1..5.bin and test_batch.bin)");
            long size = Files.size(file);
            if (size == 0 || size % RECORD_BYTES != 0) {
                throw InputException.inFile(file, "truncated: " + size + " bytes is not a whole number of "
                        + RECORD_BYTES + "-byte records");
            }
            sizes[f] = size;
            total += size / RECORD_BYTES;
        }
        if (total * IMAGE_BYTES > UInt8Images.MAX_BYTES) {
            throw InputException.inFile(source.dir(), total + " images are more than one cache file can hold");
        }
        int n = (int) total;
        byte[] pixels = new byte[n * IMAGE_BYTES];
        int[] labels = new int[n];
        byte[] split = new byte[n];
        int i = 0;
        for (int f = 0; f < files.size(); f++) {
            i = readBatch(files.get(f), sizes[f] / RECORD_BYTES, f == files.size() - 1, pixels, labels, split, i);
            progress.progress("read cifar10", i, n);
        }
        return new PreparedData(new UInt8Images(n, 3, SIDE, SIDE, pixels, labels), classNames(source.dir()), "", split);
    }

    /**
     * Reads the {@code records} records measured before into the arrays from image {@code i} on, one
     * record at a time; a file that changed size since is refused rather than read past.
     *
     * @return the index after the last image read
     */
    private static int readBatch(Path file, long records, boolean test, byte[] pixels, int[] labels, byte[] split, int i)
            throws IOException {
        byte[] record = new byte[RECORD_BYTES];
        try (InputStream in = new BufferedInputStream(InputFiles.open(file, BATCH), 1 << 16)) {
            for (long r = 0; r < records; r++, i++) {
                if (in.readNBytes(record, 0, RECORD_BYTES) < RECORD_BYTES) {
                    throw InputException.inFile(file, "changed while it was read: record " + r + " is cut short");
                }
                int label = record[0] & 0xFF;
                if (label > 9) {
                    throw InputException.inFile(file, "record " + r + " has label " + label + ", expected 0..9");
                }
                labels[i] = label;
                split[i] = (byte) (test ? 1 : 0);
                System.arraycopy(record, 1, pixels, i * IMAGE_BYTES, IMAGE_BYTES);
            }
            if (in.read() >= 0) {
                throw InputException.inFile(file, "changed while it was read: more than the " + records + " records "
                        + "it held before");
            }
        } catch (IOException e) {
            throw InputFiles.fault(file, e, BATCH);
        }
        return i;
    }

    private static List<String> classNames(Path dir) throws IOException {
        Path meta = dir.resolve("batches.meta.txt");
        if (!Files.exists(meta)) {
            return DEFAULT_CLASSES;
        }
        String text;
        try (InputStream in = InputFiles.open(meta, META)) {
            byte[] bytes = in.readNBytes(MAX_META_BYTES + 1);
            if (bytes.length > MAX_META_BYTES) {
                throw InputException.inFile(meta, "longer than " + MAX_META_BYTES + " bytes, expected " + META);
            }
            text = new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw InputFiles.fault(meta, e, META);
        }
        List<String> names = text.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (names.size() != 10) {
            throw InputException.inFile(meta, "lists " + names.size() + " class names, expected 10");
        }
        return names;
    }
}
