package ldm4j.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import ldm4j.core.InputException;

/**
 * Reads and writes the <a href="https://github.com/huggingface/safetensors">safetensors</a> format,
 * the one Python tools read.
 *
 * <p>Layout: an 8-byte little-endian unsigned header length {@code n}; {@code n} bytes of UTF-8
 * JSON, {@code {"__metadata__": {str: str}, NAME: {"dtype": "F32", "shape": [..], "data_offsets":
 * [begin, end]}, ...}}; then the raw little-endian tensor bytes, offsets counted from the end of the
 * header. We write it ourselves rather than through {@code NDList.encode} because DJL's offsets are
 * ints (2 GB a file) and it has no metadata.
 *
 * <p>Writes sort tensors by name, so the same tensors give the same bytes, pad the header with
 * spaces to a multiple of 8 (as the Python writer does) and are atomic. Reads check every offset
 * against the file and fail with one {@link InputException} naming the file and the fault.
 *
 * <p>Supported dtypes: F32, F64, F16, I64, I32, I16, I8, U8, BOOL. BF16 is refused: on the PyTorch
 * CPU engine any bfloat16 tensor aborts the JVM.
 */
public final class Safetensors {
    private Safetensors() {}

    /** The Python reader refuses headers above 100 MB; so do we, before allocating them. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final String METADATA = "__metadata__";
    private static final String SAFETENSORS = "a .safetensors file";

    /** One tensor as the header describes it; offsets count from the start of the data section. */
    public record Entry(String name, DataType dataType, long[] shape, long begin, long end) {
        /** Number of elements, 1 for a scalar. */
        public long size() {
            return Arrays.stream(shape).reduce(1L, Math::multiplyExact);
        }

        @Override
        public String toString() {
            return name + " " + dtypeName(dataType) + " " + Arrays.toString(shape) + " [" + begin + ", " + end + ")";
        }
    }

    /** A parsed header: entries in file order, the metadata, and where the data section starts. */
    public record Header(List<Entry> entries, Map<String, String> metadata, long dataStart) {
        public Header {
            entries = List.copyOf(entries);
            metadata = Map.copyOf(metadata);
        }
    }

    /** Writes {@code tensors} with no metadata. */
    public static void write(Path file, Map<String, NDArray> tensors) throws IOException {
        write(file, tensors, Map.of());
    }

    /**
     * Writes {@code tensors} (sorted by name) and {@code metadata} to {@code file}, atomically.
     *
     * @throws IllegalArgumentException for an empty or reserved name, or an unsupported dtype
     */
    public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata)
            throws IOException {
        if (!ByteOrder.nativeOrder().equals(ByteOrder.LITTLE_ENDIAN)) {
            throw new UnsupportedOperationException("safetensors IO assumes a little-endian host");
        }
        TreeMap<String, NDArray> sorted = new TreeMap<>(tensors);
        ObjectNode header = Json.MAPPER.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject(METADATA);
            new TreeMap<>(metadata).forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, NDArray> e : sorted.entrySet()) {
            String name = e.getKey();
            if (name.isEmpty() || name.equals(METADATA)) {
                throw new IllegalArgumentException("tensor name '" + name + "' is empty or reserved");
            }
            NDArray a = e.getValue();
            long bytes = a.size() * a.getDataType().getNumOfBytes();
            ObjectNode entry = header.putObject(name);
            entry.put("dtype", dtypeName(a.getDataType()));
            ArrayNode shape = entry.putArray("shape");
            for (long d : a.getShape().getShape()) {
                shape.add(d);
            }
            entry.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();
        AtomicFiles.write(file, tmp -> {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                writeFully(out, head);
                for (NDArray a : sorted.values()) {
                    if (a.size() > 0) {
                        writeFully(out, a.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN));
                    }
                }
            }
        });
    }

    /**
     * Reads every tensor of {@code file} onto {@code manager}, in file order, each named after its
     * key ({@link NDArray#getName()}).
     */
    public static Map<String, NDArray> read(Path file, NDManager manager) {
        Header header = readHeader(file);
        Map<String, NDArray> out = new LinkedHashMap<>();
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            for (Entry e : header.entries()) {
                NDArray a;
                Shape shape = new Shape(e.shape());
                if (e.end() == e.begin()) {
                    a = manager.zeros(shape, e.dataType());
                } else {
                    long len = e.end() - e.begin();
                    if (len > Integer.MAX_VALUE - 8) {
                        throw InputException.inFile(file, "tensor " + e.name() + " is over 2 GB, too large to load");
                    }
                    ByteBuffer buf = ByteBuffer.allocateDirect((int) len).order(ByteOrder.nativeOrder());
                    readFully(in, buf, header.dataStart() + e.begin(), file);
                    buf.flip();
                    a = manager.create(buf, shape, e.dataType());
                }
                a.setName(e.name());
                out.put(e.name(), a);
            }
        } catch (IOException ex) {
            out.values().forEach(NDArray::close);
            throw InputFiles.fault(file, ex, SAFETENSORS);
        } catch (RuntimeException ex) {
            out.values().forEach(NDArray::close);
            throw ex;
        }
        return out;
    }

    /** Reads and checks the header alone: names, dtypes, shapes and offsets, no tensor data. */
    public static Header readHeader(Path file) {
        InputFiles.requireFile(file, SAFETENSORS);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            if (size < 8) {
                throw InputException.inFile(file, "truncated: " + size + " bytes, too short for the 8-byte header length");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(in, lenBuf, 0, file);
            long n = lenBuf.flip().getLong();
            if (n < 0 || n > size - 8) {
                throw InputException.inFile(file, "header length " + Long.toUnsignedString(n)
                        + " runs past the end of the file (" + size + " bytes); not a safetensors file or truncated");
            }
            if (n > MAX_HEADER_BYTES) {
                throw InputException.inFile(file, "header length " + n + " exceeds the 100 MB limit");
            }
            ByteBuffer json = ByteBuffer.allocate((int) n);
            readFully(in, json, 8, file);
            return parseHeader(file, new String(json.array(), StandardCharsets.UTF_8), 8 + n, size - 8 - n);
        } catch (IOException e) {
            throw InputFiles.fault(file, e, SAFETENSORS);
        }
    }

    private static Header parseHeader(Path file, String text, long dataStart, long dataSize) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw InputException.inFile(file, "header is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw InputException.inFile(file, "header is not a JSON object");
        }
        List<Entry> entries = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> f : root.properties()) {
            if (f.getKey().equals(METADATA)) {
                if (!f.getValue().isObject()) {
                    throw InputException.inFile(file, "__metadata__ is not an object");
                }
                f.getValue().properties().forEach(m -> {
                    if (!m.getValue().isTextual()) {
                        throw InputException.inFile(file, "__metadata__ value of '" + m.getKey() + "' is not a string");
                    }
                    metadata.put(m.getKey(), m.getValue().asText());
                });
            } else {
                entries.add(parseEntry(file, f.getKey(), f.getValue(), dataSize));
            }
        }
        checkTiling(file, entries, dataSize);
        return new Header(entries, metadata, dataStart);
    }

    /**
     * The spec wants the tensors to cover the data section exactly, as the Python reader checks:
     * an overlap or hole means a corrupt header, trailing bytes a corrupt or mis-cut file.
     */
    private static void checkTiling(Path file, List<Entry> entries, long dataSize) {
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long end = 0;
        for (Entry e : byOffset) {
            if (e.begin() != end) {
                throw InputException.inFile(file, "tensor " + e.name() + ": data_offsets [" + e.begin() + ", " + e.end()
                        + "] " + (e.begin() < end ? "overlap" : "leave a hole after") + " the previous tensor's data,"
                        + " which ends at " + end);
            }
            end = e.end();
        }
        if (end != dataSize) {
            throw InputException.inFile(file, "the data section has " + dataSize + " bytes but the tensors use " + end
                    + " (trailing bytes)");
        }
    }

    private static Entry parseEntry(Path file, String name, JsonNode node, long dataSize) {
        String where = "tensor " + name + ": ";
        if (!node.isObject()) {
            throw InputException.inFile(file, where + "entry is not an object");
        }
        JsonNode dtype = node.get("dtype");
        JsonNode shapeNode = node.get("shape");
        JsonNode offsets = node.get("data_offsets");
        if (dtype == null || !dtype.isTextual()) {
            throw InputException.inFile(file, where + "missing or non-string 'dtype'");
        }
        DataType type = dataType(dtype.asText());
        if (type == null) {
            throw InputException.inFile(file, where + "unsupported dtype '" + dtype.asText() + "'");
        }
        if (shapeNode == null || !shapeNode.isArray()) {
            throw InputException.inFile(file, where + "missing or non-array 'shape'");
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.canConvertToLong() || !d.isIntegralNumber() || d.asLong() < 0) {
                throw InputException.inFile(file, where + "bad shape " + shapeNode);
            }
            shape[i] = d.asLong();
        }
        if (offsets == null || !offsets.isArray() || offsets.size() != 2
                || !offsets.get(0).isIntegralNumber() || !offsets.get(1).isIntegralNumber()) {
            throw InputException.inFile(file, where + "missing or malformed 'data_offsets'");
        }
        long begin = offsets.get(0).asLong();
        long end = offsets.get(1).asLong();
        if (begin < 0 || end < begin || end > dataSize) {
            throw InputException.inFile(file, where + "data_offsets [" + begin + ", " + end
                    + "] out of range: the data section has " + dataSize + " bytes (truncated file?)");
        }
        Entry e = new Entry(name, type, shape, begin, end);
        long expected;
        try {
            expected = Math.multiplyExact(e.size(), type.getNumOfBytes());
        } catch (ArithmeticException overflow) {
            throw InputException.inFile(file, where + "shape " + shapeNode + " is too large");
        }
        if (end - begin != expected) {
            throw InputException.inFile(file, where + "data_offsets [" + begin + ", " + end + "] hold " + (end - begin)
                    + " bytes but " + dtype.asText() + " " + shapeNode + " needs " + expected);
        }
        return e;
    }

    /** The safetensors name of a DJL data type. */
    static String dtypeName(DataType t) {
        return switch (t) {
            case FLOAT32 -> "F32";
            case FLOAT64 -> "F64";
            case FLOAT16 -> "F16";
            case INT64 -> "I64";
            case INT32 -> "I32";
            case INT16 -> "I16";
            case INT8 -> "I8";
            case UINT8 -> "U8";
            case BOOLEAN -> "BOOL";
            default -> throw new IllegalArgumentException("cannot store dtype " + t + " in safetensors");
        };
    }

    /** The DJL data type of a safetensors name, or null when unsupported. */
    static DataType dataType(String name) {
        return switch (name) {
            case "F32" -> DataType.FLOAT32;
            case "F64" -> DataType.FLOAT64;
            case "F16" -> DataType.FLOAT16;
            case "I64" -> DataType.INT64;
            case "I32" -> DataType.INT32;
            case "I16" -> DataType.INT16;
            case "I8" -> DataType.INT8;
            case "U8" -> DataType.UINT8;
            case "BOOL" -> DataType.BOOLEAN;
            default -> null;
        };
    }

    private static void writeFully(FileChannel out, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            out.write(buf);
        }
    }

    private static void readFully(FileChannel in, ByteBuffer buf, long position, Path file) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = in.read(buf, pos);
            if (n < 0) {
                throw InputException.inFile(file, "truncated: unexpected end of file at byte " + pos);
            }
            pos += n;
        }
    }
}
