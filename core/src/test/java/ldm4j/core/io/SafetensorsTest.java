package ldm4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ldm4j.core.InputException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path dir;

    NDManager m;

    @BeforeEach
    void open() {
        m = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        m.close();
    }

    /** Inserted out of name order on purpose: the writer must sort. */
    private Map<String, NDArray> sample() {
        Map<String, NDArray> t = new LinkedHashMap<>();
        t.put("w", m.create(new float[] {1.5f, -2f, 3f, 4f, 5f, 6.25f}, new Shape(2, 3)));
        t.put("idx", m.create(new long[] {1L << 40, -3, 0, 7}));
        t.put("counts", m.create(new int[] {1, -2, 3, 4}, new Shape(2, 2)));
        t.put("pixels", m.create(new byte[] {0, (byte) 200, (byte) 255}).toType(DataType.UINT8, false));
        t.put("scalar", m.create(0.125f));
        return t;
    }

    @Test
    void roundTripKeepsNamesDtypesShapesValuesAndMetadata() throws Exception {
        Path f = dir.resolve("t.safetensors");
        Map<String, NDArray> in = sample();
        Safetensors.write(f, in, Map.of("format", "pt", "step", "12"));
        Map<String, NDArray> out = Safetensors.read(f, m);
        assertEquals(List.of("counts", "idx", "pixels", "scalar", "w"), new ArrayList<>(out.keySet()));
        for (String k : in.keySet()) {
            NDArray a = in.get(k);
            NDArray b = out.get(k);
            assertEquals(a.getDataType(), b.getDataType(), k);
            assertEquals(a.getShape(), b.getShape(), k);
            assertArrayEquals(a.toByteArray(), b.toByteArray(), k);
            assertEquals(k, b.getName());
            assertEquals(m, b.getManager(), "arrays belong to the caller's manager");
        }
        assertEquals(Map.of("format", "pt", "step", "12"), Safetensors.readHeader(f).metadata());
    }

    @Test
    void emptyTensorsRoundTrip() throws Exception {
        Path f = dir.resolve("e.safetensors");
        Safetensors.write(f, Map.of("none", m.zeros(new Shape(0, 3)), "one", m.create(new float[] {2f})));
        Map<String, NDArray> back = Safetensors.read(f, m);
        assertEquals(new Shape(0, 3), back.get("none").getShape());
        assertArrayEquals(new float[] {2f}, back.get("one").toFloatArray());
    }

    @Test
    void float16IsReadBack() throws Exception {
        Path f = dir.resolve("h.safetensors");
        NDArray h = m.create(new float[] {0.5f, -1f, 2048f}).toType(DataType.FLOAT16, false);
        Safetensors.write(f, Map.of("h", h));
        NDArray back = Safetensors.read(f, m).get("h");
        assertEquals(DataType.FLOAT16, back.getDataType());
        assertArrayEquals(new float[] {0.5f, -1f, 2048f}, back.toType(DataType.FLOAT32, false).toFloatArray());
    }

    /** Parses the file by hand, following the spec, without any of Safetensors' own code. */
    @Test
    void fileFollowsTheSpecWhenParsedIndependently() throws Exception {
        Path f = dir.resolve("t.safetensors");
        Safetensors.write(f, sample(), Map.of("k", "v"));
        byte[] bytes = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8, "header padded to 8 bytes");
        String text = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("{") && text.stripTrailing().endsWith("}"), "padding is trailing spaces");
        JsonNode h = new ObjectMapper().readTree(text);
        assertEquals("v", h.get("__metadata__").get("k").asText());
        List<String> names = new ArrayList<>();
        h.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("__metadata__", "counts", "idx", "pixels", "scalar", "w"), names);
        // Offsets tile the data section with no hole and no overlap.
        long expectBegin = 0;
        for (String name : names.subList(1, names.size())) {
            JsonNode e = h.get(name);
            assertEquals(expectBegin, e.get("data_offsets").get(0).asLong(), name);
            expectBegin = e.get("data_offsets").get(1).asLong();
        }
        assertEquals(bytes.length - 8 - n, expectBegin);
        JsonNode w = h.get("w");
        assertEquals("F32", w.get("dtype").asText());
        assertEquals("[2,3]", w.get("shape").toString());
        assertEquals("[]", h.get("scalar").get("shape").toString());
        assertEquals("I64", h.get("idx").get("dtype").asText());
        assertEquals("U8", h.get("pixels").get("dtype").asText());
        assertEquals("I32", h.get("counts").get("dtype").asText());
        ByteBuffer data = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int wBegin = (int) (8 + n + w.get("data_offsets").get(0).asLong());
        assertEquals(6.25f, data.getFloat(wBegin + 5 * 4));
        int iBegin = (int) (8 + n + h.get("idx").get("data_offsets").get(0).asLong());
        assertEquals(1L << 40, data.getLong(iBegin));
    }

    @Test
    void djlReadsOurFile() throws Exception {
        Path f = dir.resolve("t.safetensors");
        Map<String, NDArray> in = sample();
        in.remove("scalar"); // DJL's decoder is not the point for 0-d arrays
        Safetensors.write(f, in);
        NDList list;
        try (InputStream is = Files.newInputStream(f)) {
            list = NDList.decode(m, is);
        }
        assertEquals(in.size(), list.size());
        for (NDArray b : list) {
            NDArray a = in.get(b.getName());
            assertEquals(a.getShape(), b.getShape(), b.getName());
            assertArrayEquals(a.toByteArray(), b.toByteArray(), b.getName());
        }
    }

    @Test
    void sameTensorsGiveSameBytesWhateverTheInsertionOrder() throws Exception {
        Map<String, NDArray> a = sample();
        Map<String, NDArray> b = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>(a.keySet());
        java.util.Collections.reverse(keys);
        keys.forEach(k -> b.put(k, a.get(k)));
        Safetensors.write(dir.resolve("a"), a);
        Safetensors.write(dir.resolve("b"), b);
        assertArrayEquals(Files.readAllBytes(dir.resolve("a")), Files.readAllBytes(dir.resolve("b")));
    }

    @Test
    void truncatedDataIsReportedWithTheTensorAndOffsets() throws Exception {
        Path f = dir.resolve("t.safetensors");
        Safetensors.write(f, Map.of("w", m.create(new float[] {1, 2, 3, 4})));
        byte[] b = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(b, b.length - 3));
        InputException e = assertThrows(InputException.class, () -> Safetensors.read(f, m));
        assertEquals(f + ": tensor w: data_offsets [0, 16] out of range: the data section has 13 bytes"
                + " (truncated file?)", e.getMessage());
    }

    @Test
    void headerLengthPastEndOfFileIsReported() throws Exception {
        Path f = dir.resolve("t.safetensors");
        ByteBuffer b = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putLong(1000);
        Files.write(f, b.array());
        InputException e = assertThrows(InputException.class, () -> Safetensors.read(f, m));
        assertEquals(f + ": header length 1000 runs past the end of the file (20 bytes);"
                + " not a safetensors file or truncated", e.getMessage());
        Files.write(f, new byte[] {1, 2, 3});
        assertEquals(f + ": truncated: 3 bytes, too short for the 8-byte header length",
                assertThrows(InputException.class, () -> Safetensors.read(f, m)).getMessage());
    }

    @Test
    void badJsonAndInconsistentEntriesAreReported() throws Exception {
        Path f = dir.resolve("t.safetensors");
        writeRaw(f, "{\"w\": {\"dtype\": \"F32\", ", 0);
        assertTrue(assertThrows(InputException.class, () -> Safetensors.read(f, m)).getMessage()
                .startsWith(f + ": header is not valid JSON: "));
        writeRaw(f, "{\"w\": {\"dtype\": \"F32\", \"shape\": [2, 2], \"data_offsets\": [0, 12]}}", 12);
        assertEquals(f + ": tensor w: data_offsets [0, 12] hold 12 bytes but F32 [2,2] needs 16",
                assertThrows(InputException.class, () -> Safetensors.read(f, m)).getMessage());
        writeRaw(f, "{\"w\": {\"dtype\": \"BF16\", \"shape\": [1], \"data_offsets\": [0, 2]}}", 2);
        assertEquals(f + ": tensor w: unsupported dtype 'BF16'",
                assertThrows(InputException.class, () -> Safetensors.read(f, m)).getMessage());
        writeRaw(f, "{\"w\": {\"dtype\": \"F32\", \"shape\": [1]}}", 4);
        assertEquals(f + ": tensor w: missing or malformed 'data_offsets'",
                assertThrows(InputException.class, () -> Safetensors.read(f, m)).getMessage());
        writeRaw(f, "{\"a\": {\"dtype\": \"U8\", \"shape\": [2], \"data_offsets\": [0, 2]},"
                + " \"b\": {\"dtype\": \"U8\", \"shape\": [2], \"data_offsets\": [1, 3]}}", 3);
        assertEquals(f + ": tensor b: data_offsets [1, 3] overlap the previous tensor's data, which ends at 2",
                assertThrows(InputException.class, () -> Safetensors.read(f, m)).getMessage());
        writeRaw(f, "{\"a\": {\"dtype\": \"U8\", \"shape\": [2], \"data_offsets\": [0, 2]}}", 5);
        assertEquals(f + ": the data section has 5 bytes but the tensors use 2 (trailing bytes)",
                assertThrows(InputException.class, () -> Safetensors.read(f, m)).getMessage());
        Path missing = dir.resolve("none.safetensors");
        assertEquals(missing + ": does not exist, expected a .safetensors file",
                assertThrows(InputException.class, () -> Safetensors.read(missing, m)).getMessage());
    }

    private static void writeRaw(Path f, String header, int dataBytes) throws Exception {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Files.write(f, b.array());
    }
}
