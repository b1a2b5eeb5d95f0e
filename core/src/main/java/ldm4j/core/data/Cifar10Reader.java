package ldm4j.core.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import ldm4j.core.InputException;

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
        if (!Files.isDirectory(source.dir())) {
            throw InputException.inFile(source.dir(), "not a directory (expected the CIFAR-10 binary batches)");
        }
        List<Path> files = files(source.dir());
        long total = 0;
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw InputException.inFile(f, "missing; cifar10: needs data_batch_1..5.bin and test_batch.bin");
            }
            long size = Files.size(f);
            if (size == 0 || size % RECORD_BYTES != 0) {
                throw InputException.inFile(f, "truncated: " + size + " bytes is not a whole number of "
                        + RECORD_BYTES + "-byte records");
            }
            total += size / RECORD_BYTES;
        }
        if (total * IMAGE_BYTES > Integer.MAX_VALUE - 8) {
            throw InputException.inFile(source.dir(), total + " images are more than one cache file can hold");
        }
        int n = (int) total;
        byte[] pixels = new byte[n * IMAGE_BYTES];
        int[] labels = new int[n];
        byte[] split = new byte[n];
        int i = 0;
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            byte[] bytes = Files.readAllBytes(file);
            for (int r = 0; r < bytes.length / RECORD_BYTES; r++, i++) {
                int label = bytes[r * RECORD_BYTES] & 0xFF;
                if (label > 9) {
                    throw InputException.inFile(file, "record " + r + " has label " + label + ", expected 0..9");
                }
                labels[i] = label;
                split[i] = (byte) (f == files.size() - 1 ? 1 : 0);
                System.arraycopy(bytes, r * RECORD_BYTES + 1, pixels, i * IMAGE_BYTES, IMAGE_BYTES);
            }
            progress.progress("read cifar10", i, n);
        }
        return new PreparedData(new UInt8Images(n, 3, SIDE, SIDE, pixels, labels), classNames(source.dir()), "", split);
    }

    private static List<String> classNames(Path dir) throws IOException {
        Path meta = dir.resolve("batches.meta.txt");
        if (!Files.isRegularFile(meta)) {
            return DEFAULT_CLASSES;
        }
        List<String> names = Files.readAllLines(meta, StandardCharsets.UTF_8).stream()
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (names.size() != 10) {
            throw InputException.inFile(meta, "lists " + names.size() + " class names, expected 10");
        }
        return names;
    }
}
