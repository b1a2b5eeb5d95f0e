package ldm4j.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Tiles N images into one picture, like torchvision's {@code make_grid}: {@code nrow} images per
 * row, {@code padding} pixels around and between them, and an optional whole-number scale-up
 * (nearest neighbour) so 32×32 samples are big enough to look at.
 *
 * <p>Image i sits at column {@code i % nrow}, row {@code i / nrow}; its top-left pixel is at
 * {@code (padding + col * (w * scale + padding), padding + row * (h * scale + padding))}. Cells
 * past the last image are padding colour. Padding is white by default (torchvision uses black)
 * because dark garments on black are hard to tell apart.
 */
public final class ImageGrid {
    private ImageGrid() {}

    /**
     * How to lay out the grid.
     *
     * @param nrow images per row (≥ 1)
     * @param padding pixels around and between images (≥ 0), in output pixels
     * @param padColor padding colour as 0xRRGGBB
     * @param scale whole-number scale-up of each image (≥ 1), nearest neighbour
     */
    public record Options(int nrow, int padding, int padColor, int scale) {
        /** White. */
        public static final int WHITE = 0xFFFFFF;

        public Options {
            if (nrow < 1) {
                throw new IllegalArgumentException("nrow must be >= 1, got " + nrow);
            }
            if (padding < 0) {
                throw new IllegalArgumentException("padding must be >= 0, got " + padding);
            }
            if (scale < 1) {
                throw new IllegalArgumentException("scale must be >= 1, got " + scale);
            }
            padColor &= 0xFFFFFF;
        }

        /** 8 per row, 2 px white padding, no scaling. */
        public static Options defaults() {
            return new Options(8, 2, WHITE, 1);
        }

        public Options withNrow(int n) {
            return new Options(n, padding, padColor, scale);
        }

        public Options withPadding(int p) {
            return new Options(nrow, p, padColor, scale);
        }

        public Options withPadColor(int rgb) {
            return new Options(nrow, padding, rgb, scale);
        }

        public Options withScale(int s) {
            return new Options(nrow, padding, padColor, s);
        }
    }

    /**
     * Renders uint8 images laid out N×C×H×W in C order. The result is grey when C = 1 and the
     * padding is grey, RGB otherwise.
     */
    public static BufferedImage render(byte[] nchw, int n, int c, int h, int w, Options o) {
        if (n < 1) {
            throw new IllegalArgumentException("need at least one image, got " + n);
        }
        if (c != 1 && c != 3) {
            throw new IllegalArgumentException("images need 1 (grey) or 3 (RGB) channels, got " + c);
        }
        if ((long) n * c * h * w != nchw.length) {
            throw new IllegalArgumentException("pixel array has " + nchw.length + " bytes, not " + n + "×" + c + "×"
                    + h + "×" + w);
        }
        int cols = Math.min(o.nrow(), n);
        int rows = (n + cols - 1) / cols;
        int cellW = w * o.scale() + o.padding();
        int cellH = h * o.scale() + o.padding();
        int pr = o.padColor() >> 16 & 0xFF;
        int pg = o.padColor() >> 8 & 0xFF;
        int pb = o.padColor() & 0xFF;
        boolean grey = c == 1 && pr == pg && pg == pb;
        int width = cols * cellW + o.padding();
        int height = rows * cellH + o.padding();
        // Pixels are written straight into the raster: going through Graphics2D would pass grey
        // values through Java's linear-grey colour space and change them.
        int[] px = new int[width * height];
        Arrays.fill(px, grey ? pr : o.padColor());
        int plane = h * w;
        for (int i = 0; i < n; i++) {
            int x0 = o.padding() + (i % cols) * cellW;
            int y0 = o.padding() + (i / cols) * cellH;
            int base = i * c * plane;
            for (int y = 0; y < h * o.scale(); y++) {
                for (int x = 0; x < w * o.scale(); x++) {
                    int src = base + (y / o.scale()) * w + x / o.scale();
                    int v;
                    if (c == 1) {
                        int l = nchw[src] & 0xFF;
                        v = grey ? l : l << 16 | l << 8 | l;
                    } else {
                        v = (nchw[src] & 0xFF) << 16 | (nchw[src + plane] & 0xFF) << 8 | nchw[src + 2 * plane] & 0xFF;
                    }
                    px[(y0 + y) * width + x0 + x] = v;
                }
            }
        }
        BufferedImage grid;
        if (grey) {
            grid = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
            grid.getRaster().setPixels(0, 0, width, height, px);
        } else {
            grid = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            grid.setRGB(0, 0, width, height, px, 0, width);
        }
        return grid;
    }

    /** Renders images (N, C, H, W): UINT8 as is, floats taken to be in [-1, 1] (see {@link ImageIo#toUint8}). */
    public static BufferedImage render(NDArray images, Options o) {
        Shape s = images.getShape();
        if (s.dimension() != 4) {
            throw new IllegalArgumentException("expected images (N, C, H, W), got shape " + s);
        }
        byte[] pixels = images.getDataType() == DataType.UINT8
                ? images.toByteArray()
                : ImageIo.toUint8(images.toType(DataType.FLOAT32, false).toFloatArray());
        return render(pixels, (int) s.get(0), (int) s.get(1), (int) s.get(2), (int) s.get(3), o);
    }

    /** Writes the grid of {@code images} (N, C, H, W; uint8 or [-1, 1] floats) as a PNG, atomically. */
    public static void write(Path file, NDArray images, Options o) throws IOException {
        ImageIo.writePng(file, render(images, o));
    }

    /** {@link #write(Path, NDArray, Options)} with {@link Options#defaults()}. */
    public static void write(Path file, NDArray images) throws IOException {
        write(file, images, Options.defaults());
    }

    /** Writes the grid of uint8 N×C×H×W pixels as a PNG, atomically. */
    public static void write(Path file, byte[] nchw, int n, int c, int h, int w, Options o) throws IOException {
        ImageIo.writePng(file, render(nchw, n, c, h, w, o));
    }
}
