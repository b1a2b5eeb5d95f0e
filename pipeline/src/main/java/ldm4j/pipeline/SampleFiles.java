package ldm4j.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import ldm4j.core.InputException;
import ldm4j.core.data.UInt8Images;
import ldm4j.core.io.ImageGrid;
import ldm4j.core.io.ImageIo;
import ldm4j.core.io.Npy;
import ldm4j.core.io.NpyArray;

/**
 * The files a sampling run leaves, and reading them back for evaluation:
 *
 * <pre>
 * out/
 *   grid.png       all samples, √N per row, 2× scale
 *   samples.npy    uint8 N×C×H×W
 *   labels.npy     int32 N, the requested classes (only when classes were requested)
 * png-dir/         optional single images, 00000.png …
 * </pre>
 */
public final class SampleFiles {
    /** The grid of all samples. */
    public static final String GRID = "grid.png";
    /** The samples as uint8 N×C×H×W. */
    public static final String SAMPLES = "samples.npy";
    /** The requested classes as int32 N. */
    public static final String LABELS = "labels.npy";

    private SampleFiles() {}

    /**
     * Writes {@code images} into {@code out} (created when missing), each file atomically.
     *
     * @param pngDir where to write one PNG per image as well, or null
     * @return the files written
     */
    public static Path[] write(Path out, UInt8Images images, Path pngDir) throws IOException {
        return write(out, images, pngDir, images.count());
    }

    /**
     * As {@link #write(Path, UInt8Images, Path)}, with {@code grid.png} showing only the first
     * {@code gridMax} images (a grid of thousands is too large to look at; the files keep them all).
     */
    public static Path[] write(Path out, UInt8Images images, Path pngDir, int gridMax) throws IOException {
        Files.createDirectories(out);
        int n = images.count();
        int c = images.channels();
        int h = images.height();
        int w = images.width();
        Path npy = out.resolve(SAMPLES);
        Npy.write(npy, NpyArray.ofUint8(images.pixels(), n, c, h, w));
        Path grid = out.resolve(GRID);
        int shown = Math.max(1, Math.min(gridMax, n));
        ImageGrid.write(grid, Arrays.copyOf(images.pixels(), shown * images.imageSize()), shown, c, h, w,
                ImageGrid.Options.defaults().withNrow((int) Math.ceil(Math.sqrt(shown))).withScale(2));
        Path labels = out.resolve(LABELS);
        boolean requested = images.labelled() && Arrays.stream(images.labels()).allMatch(l -> l >= 0);
        if (requested) {
            Npy.write(labels, NpyArray.ofInt32(images.labels(), n));
        } else {
            Files.deleteIfExists(labels); // an old run's labels must not be taken for these samples'
        }
        if (pngDir != null) {
            Files.createDirectories(pngDir);
            for (int i = 0; i < n; i++) {
                ImageIo.writePng(pngDir.resolve(String.format(Locale.ROOT, "%05d.png", i)),
                        ImageIo.toImage(images.pixels(), i * images.imageSize(), c, h, w));
            }
        }
        return requested ? new Path[] {grid, npy, labels} : new Path[] {grid, npy};
    }

    /**
     * Reads uint8 samples laid out N×C×H×W or N×H×W×C, whichever matches C × H × W (the layout is
     * told apart by where C sits; a shape that fits both, such as 3×3×3, is read as N×C×H×W).
     *
     * @throws InputException naming the file when it is not uint8 of either layout
     */
    public static UInt8Images read(Path file, int channels, int height, int width) {
        NpyArray a = Npy.read(file);
        long[] s = a.shape();
        String want = "uint8 N×" + channels + "×" + height + "×" + width + " or N×" + height + "×" + width + "×"
                + channels;
        if (!a.dtype().equals(NpyArray.UINT8) || s.length != 4) {
            throw InputException.inFile(file, "expected " + want + ", found " + a.dtype() + " "
                    + Arrays.toString(s));
        }
        int n = Math.toIntExact(s[0]);
        if (n == 0) {
            throw InputException.inFile(file, "holds no images");
        }
        if (s[1] == channels && s[2] == height && s[3] == width) {
            return new UInt8Images(n, channels, height, width, a.data(), null);
        }
        if (s[1] == height && s[2] == width && s[3] == channels) {
            return new UInt8Images(n, channels, height, width, toChannelsFirst(a.data(), n, channels, height, width),
                    null);
        }
        throw InputException.inFile(file, "expected " + want + " to match the dataset, found "
                + Arrays.toString(s));
    }

    /**
     * Reads {@code count} requested classes (int32 or int64, shape N).
     *
     * @throws InputException naming the file when the type or length is wrong
     */
    public static int[] readLabels(Path file, int count) {
        NpyArray a = Npy.read(file);
        long[] s = a.shape();
        if (s.length != 1 || s[0] != count) {
            throw InputException.inFile(file, "expected " + count + " class labels (one per sample), found shape "
                    + Arrays.toString(s));
        }
        if (a.dtype().equals(NpyArray.INT32)) {
            return a.toIntArray();
        }
        if (a.dtype().equals(NpyArray.INT64)) {
            return Arrays.stream(a.toLongArray()).mapToInt(Math::toIntExact).toArray();
        }
        throw InputException.inFile(file, "expected int32 or int64 labels, found " + a.dtype());
    }

    private static byte[] toChannelsFirst(byte[] nhwc, int n, int c, int h, int w) {
        byte[] out = new byte[nhwc.length];
        int plane = h * w;
        for (int i = 0; i < n; i++) {
            int base = i * c * plane;
            for (int p = 0; p < plane; p++) {
                for (int k = 0; k < c; k++) {
                    out[base + k * plane + p] = nhwc[base + p * c + k];
                }
            }
        }
        return out;
    }
}
