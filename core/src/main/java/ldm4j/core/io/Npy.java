package ldm4j.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import ldm4j.core.InputException;

/**
 * Reads and writes numpy's {@code .npy} format
 * (<a href="https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html">spec</a>).
 *
 * <p>Layout: the magic {@code \x93NUMPY}; version bytes {@code 1 0}; a little-endian uint16
 * header length; an ASCII Python dict {@code {'descr': '<f4', 'fortran_order': False, 'shape':
 * (2, 3), }} padded with spaces and a final {@code '\n'} so the data starts on a 64-byte boundary;
 * then the raw C-ordered data. Headers too long for uint16 are written as version 2.0 (uint32
 * length), which numpy reads as well. Writes are atomic.
 */
public final class Npy {
    private Npy() {}

    private static final String NPY = "a numpy .npy file";

    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** Writes {@code array} to {@code file}, atomically. */
    public static void write(Path file, NpyArray array) throws IOException {
        AtomicFiles.writeStream(file, out -> write(out, array));
    }

    /** Writes an NDArray (uint8, float32, int32 or int64) to {@code file}, atomically. */
    public static void write(Path file, NDArray array) throws IOException {
        write(file, NpyArray.of(array));
    }

    /** Writes {@code array} in .npy format to a stream. */
    public static void write(OutputStream out, NpyArray array) throws IOException {
        out.write(header(array));
        out.write(array.data());
    }

    /** Reads a .npy file. */
    public static NpyArray read(Path file) {
        try (InputStream in = InputFiles.open(file, NPY)) {
            return read(in, file);
        } catch (IOException e) {
            throw InputFiles.fault(file, e, NPY);
        }
    }

    /** Reads a .npy file into a new NDArray on {@code manager}. */
    public static NDArray read(Path file, NDManager manager) {
        return read(file).toNDArray(manager);
    }

    /** The magic, version, length and padded dict that precede the data. */
    static byte[] header(NpyArray a) {
        String shape = Arrays.stream(a.shape()).mapToObj(Long::toString).collect(Collectors.joining(", "));
        if (a.shape().length == 1) {
            shape += ","; // Python's one-element tuple
        }
        String dict = "{'descr': '" + a.dtype() + "', 'fortran_order': False, 'shape': (" + shape + "), }";
        boolean v1 = (10 + dict.length() + 1 + 63) / 64 * 64 - 10 <= 65535; // fits version 1.0's uint16
        int prefix = MAGIC.length + 2 + (v1 ? 2 : 4);
        int total = (prefix + dict.length() + 1 + 63) / 64 * 64;
        int headerLen = total - prefix;
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) (v1 ? 1 : 2)).put((byte) 0);
        if (v1) {
            b.putShort((short) headerLen);
        } else {
            b.putInt(headerLen);
        }
        b.put(dict.getBytes(StandardCharsets.US_ASCII));
        while (b.position() < total - 1) {
            b.put((byte) ' ');
        }
        b.put((byte) '\n');
        return b.array();
    }

    private static NpyArray read(InputStream in, Path file) throws IOException {
        byte[] magic = in.readNBytes(8);
        if (magic.length < 8 || !Arrays.equals(Arrays.copyOf(magic, 6), MAGIC)) {
            throw InputException.inFile(file, "not a .npy file (bad magic)");
        }
        int major = magic[6];
        if (major < 1 || major > 3) {
            throw InputException.inFile(file, "unsupported .npy version " + major + "." + magic[7]);
        }
        byte[] len = in.readNBytes(major == 1 ? 2 : 4);
        if (len.length < (major == 1 ? 2 : 4)) {
            throw InputException.inFile(file, "truncated header");
        }
        ByteBuffer lb = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen = major == 1 ? Short.toUnsignedInt(lb.getShort()) : Integer.toUnsignedLong(lb.getInt());
        if (headerLen > 1 << 24) {
            throw InputException.inFile(file, "header length " + headerLen + " is implausibly large");
        }
        byte[] dictBytes = in.readNBytes((int) headerLen);
        if (dictBytes.length < headerLen) {
            throw InputException.inFile(file, "truncated header");
        }
        String dict = new String(dictBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, dict, "descr", file);
        if (group(FORTRAN, dict, "fortran_order", file).equals("True")) {
            throw InputException.inFile(file, "Fortran-order arrays are not supported");
        }
        long[] shape = parseShape(group(SHAPE, dict, "shape", file), file);
        long expected;
        try {
            expected = Math.multiplyExact(Arrays.stream(shape).reduce(1L, Math::multiplyExact), NpyArray.itemSize(descr));
        } catch (IllegalArgumentException e) {
            throw InputException.inFile(file, e.getMessage(), e);
        } catch (ArithmeticException e) {
            throw InputException.inFile(file, "shape " + Arrays.toString(shape) + " is too large", e);
        }
        if (expected > Integer.MAX_VALUE - 8) {
            throw InputException.inFile(file, "array of " + expected + " bytes is too large to load");
        }
        byte[] data = in.readNBytes((int) expected);
        if (data.length < expected) {
            throw InputException.inFile(file, "truncated: data has " + data.length + " bytes, shape "
                    + Arrays.toString(shape) + " of " + descr + " needs " + expected);
        }
        if (in.read() >= 0) {
            throw InputException.inFile(file, "trailing bytes after the " + expected + " bytes of data");
        }
        return new NpyArray(descr, shape, data);
    }

    private static String group(Pattern p, String dict, String key, Path file) {
        Matcher m = p.matcher(dict);
        if (!m.find()) {
            throw InputException.inFile(file, "header has no valid '" + key + "': " + dict.strip());
        }
        return m.group(1);
    }

    private static long[] parseShape(String tuple, Path file) {
        String[] parts = tuple.split(",");
        return Arrays.stream(parts).map(String::strip).filter(s -> !s.isEmpty()).mapToLong(s -> {
            try {
                long d = Long.parseLong(s.endsWith("L") ? s.substring(0, s.length() - 1) : s);
                if (d < 0) {
                    throw new NumberFormatException();
                }
                return d;
            } catch (NumberFormatException e) {
                throw InputException.inFile(file, "bad shape (" + tuple + ")");
            }
        }).toArray();
    }
}
