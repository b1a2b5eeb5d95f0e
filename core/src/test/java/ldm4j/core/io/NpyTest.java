package ldm4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import ldm4j.core.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path dir;

    /** Checks the bytes against the .npy spec by hand and returns the header dict text. */
    private static String checkHeaderBytes(byte[] file, int dataBytes) {
        assertArrayEquals(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}, Arrays.copyOf(file, 8));
        int headerLen = ByteBuffer.wrap(file, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xFFFF;
        assertEquals(0, (10 + headerLen) % 64, "data starts on a 64-byte boundary");
        assertEquals('\n', file[10 + headerLen - 1], "header ends with a newline");
        assertEquals(10 + headerLen + dataBytes, file.length);
        return new String(file, 10, headerLen, StandardCharsets.US_ASCII).strip();
    }

    @Test
    void uint8FileIsValidNpyAndRoundTrips() throws Exception {
        byte[] pixels = {0, 1, (byte) 127, (byte) 128, (byte) 254, (byte) 255};
        Path f = dir.resolve("u8.npy");
        Npy.write(f, NpyArray.ofUint8(pixels, 2, 3));
        byte[] bytes = Files.readAllBytes(f);
        assertEquals("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 3), }", checkHeaderBytes(bytes, 6));
        assertArrayEquals(pixels, Arrays.copyOfRange(bytes, bytes.length - 6, bytes.length));
        NpyArray back = Npy.read(f);
        assertArrayEquals(new long[] {2, 3}, back.shape());
        assertArrayEquals(new int[] {0, 1, 127, 128, 254, 255}, back.toIntArray());
    }

    @Test
    void float32FileIsValidNpyAndRoundTrips() throws Exception {
        float[] v = {1.5f, -0f, Float.MIN_VALUE, 3e38f, -7.25f};
        Path f = dir.resolve("f32.npy");
        Npy.write(f, NpyArray.ofFloat32(v, 5));
        byte[] bytes = Files.readAllBytes(f);
        assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }", checkHeaderBytes(bytes, 20));
        assertEquals(-7.25f, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getFloat(bytes.length - 4));
        assertArrayEquals(v, Npy.read(f).toFloatArray());
    }

    @Test
    void intsAndScalarsRoundTrip() throws Exception {
        Path f = dir.resolve("i.npy");
        Npy.write(f, NpyArray.ofInt64(new long[] {1L << 40, -1}, 2, 1));
        assertArrayEquals(new long[] {1L << 40, -1}, Npy.read(f).toLongArray());
        Npy.write(f, NpyArray.ofInt32(new int[] {-9}));
        NpyArray s = Npy.read(f);
        assertEquals("{'descr': '<i4', 'fortran_order': False, 'shape': (), }", checkHeaderBytes(Files.readAllBytes(f), 4));
        assertArrayEquals(new long[0], s.shape());
        assertArrayEquals(new int[] {-9}, s.toIntArray());
    }

    @Test
    void ndArrayRoundTripKeepsDtypeShapeAndValues() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.arange(24f).reshape(2, 3, 4).div(7);
            NDArray u = m.arange(0, 256, 16, DataType.INT32).toType(DataType.UINT8, false).reshape(4, 4);
            Npy.write(dir.resolve("a.npy"), a);
            Npy.write(dir.resolve("u.npy"), u);
            NDArray a2 = Npy.read(dir.resolve("a.npy"), m);
            NDArray u2 = Npy.read(dir.resolve("u.npy"), m);
            assertEquals(new Shape(2, 3, 4), a2.getShape());
            assertArrayEquals(a.toFloatArray(), a2.toFloatArray());
            assertEquals(DataType.UINT8, u2.getDataType());
            assertArrayEquals(u.toUint8Array(), u2.toUint8Array());
        }
    }

    @Test
    void badMagicTruncatedDataAndFortranOrderAreInputErrors() throws Exception {
        Path f = dir.resolve("x.npy");
        Files.write(f, "PK\u0003\u0004 not numpy".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(f + ": not a .npy file (bad magic)",
                assertThrows(InputException.class, () -> Npy.read(f)).getMessage());
        Npy.write(f, NpyArray.ofFloat32(new float[6], 2, 3));
        byte[] b = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(b, b.length - 5));
        assertEquals(f + ": truncated: data has 19 bytes, shape [2, 3] of <f4 needs 24",
                assertThrows(InputException.class, () -> Npy.read(f)).getMessage());
        String fortran = new String(b, 0, 64, StandardCharsets.ISO_8859_1).replace("False", "True ");
        byte[] fb = b.clone();
        System.arraycopy(fortran.getBytes(StandardCharsets.ISO_8859_1), 0, fb, 0, 64);
        Files.write(f, fb);
        assertEquals(f + ": Fortran-order arrays are not supported",
                assertThrows(InputException.class, () -> Npy.read(f)).getMessage());
        String big = new String(b, 0, 64, StandardCharsets.ISO_8859_1).replace("<f4", ">f4");
        System.arraycopy(big.getBytes(StandardCharsets.ISO_8859_1), 0, fb, 0, 64);
        Files.write(f, fb);
        assertEquals(f + ": unsupported dtype '>f4' (supported: |u1, <f4, <i4, <i8)",
                assertThrows(InputException.class, () -> Npy.read(f)).getMessage());
    }
}
