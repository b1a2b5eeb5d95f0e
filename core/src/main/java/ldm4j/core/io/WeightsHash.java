package ldm4j.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The identity of a model's weights: SHA-256 over its tensors in name order. Two models hash alike
 * exactly when they have the same parameter names, dtypes, shapes and bits, wherever and however
 * they were stored: the hash depends on no path, file layout or safetensors metadata (a step count),
 * only on the numbers. It is how latents and a UNet name "the autoencoder that encoded them".
 *
 * <p>Per tensor, in ascending order of name: the name's UTF-8 bytes and a 0 byte, the dtype's name
 * and a 0 byte, the rank and each dimension as little-endian int64, then the data as little-endian
 * bytes (C order).
 */
public final class WeightsHash {
    private WeightsHash() {}

    /** The hash of {@code tensors}, as 64 lower-case hex digits. */
    public static String sha256(Map<String, NDArray> tensors) {
        if (!ByteOrder.nativeOrder().equals(ByteOrder.LITTLE_ENDIAN)) {
            throw new UnsupportedOperationException("the weights hash assumes a little-endian host");
        }
        MessageDigest sha = digest();
        for (Map.Entry<String, NDArray> e : new TreeMap<>(tensors).entrySet()) {
            NDArray a = e.getValue();
            sha.update(e.getKey().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(a.getDataType().name().getBytes(StandardCharsets.US_ASCII));
            sha.update((byte) 0);
            long[] shape = a.getShape().getShape();
            ByteBuffer dims = ByteBuffer.allocate(8 * (shape.length + 1)).order(ByteOrder.LITTLE_ENDIAN);
            dims.putLong(shape.length);
            for (long d : shape) {
                dims.putLong(d);
            }
            sha.update(dims.array());
            if (a.size() > 0) {
                sha.update(a.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN));
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The hash of the block's parameters (by their stable names, {@link BlockParameters#collect}). */
    public static String sha256(Block block) {
        return sha256(BlockParameters.collect(block));
    }

    /** The first 12 hex digits, enough to tell two hashes apart in a message. */
    public static String shortForm(String sha256) {
        return sha256 == null || sha256.length() <= 12 ? String.valueOf(sha256) : sha256.substring(0, 12);
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
