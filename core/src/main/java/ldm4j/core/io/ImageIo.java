package ldm4j.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import ldm4j.core.InputException;

/**
 * Images at the edges of the system: [-1, 1] floats to uint8, uint8 CHW to {@link BufferedImage},
 * and PNG files written atomically.
 */
public final class ImageIo {
    private ImageIo() {}

    /**
     * Maps model-space floats in [-1, 1] to pixels: {@code round((x + 1) * 127.5)} (halves round
     * up), clamped to [0, 255]; NaN becomes 0 so a diverged model still gives a viewable image.
     */
    public static byte[] toUint8(float[] x) {
        byte[] out = new byte[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (byte) toPixel(x[i]);
        }
        return out;
    }

    /** {@link #toUint8(float[])} for an NDArray of any shape; the result (UINT8) is on x's manager. */
    public static NDArray toUint8(NDArray x) {
        float[] v = x.toType(DataType.FLOAT32, false).toFloatArray();
        return x.getManager().create(toUint8(v), x.getShape()).toType(DataType.UINT8, false);
    }

    /** The pixel value of one model-space float (see {@link #toUint8(float[])}). */
    public static int toPixel(float x) {
        if (Float.isNaN(x)) {
            return 0;
        }
        double v = Math.floor((x + 1.0) * 127.5 + 0.5);
        return (int) Math.max(0, Math.min(255, v));
    }

    /**
     * A uint8 image, C×H×W in C order at {@code offset} in {@code chw}, as a grey (C = 1) or RGB
     * (C = 3) image.
     */
    public static BufferedImage toImage(byte[] chw, int offset, int c, int h, int w) {
        if (c != 1 && c != 3) {
            throw new IllegalArgumentException("images need 1 (grey) or 3 (RGB) channels, got " + c);
        }
        BufferedImage img = new BufferedImage(w, h, c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        int plane = h * w;
        if (c == 1) {
            img.getRaster().setDataElements(0, 0, w, h, Arrays.copyOfRange(chw, offset, offset + plane));
            return img;
        }
        int[] rgb = new int[plane];
        for (int i = 0; i < plane; i++) {
            int r = chw[offset + i] & 0xFF;
            int g = chw[offset + plane + i] & 0xFF;
            int b = chw[offset + 2 * plane + i] & 0xFF;
            rgb[i] = r << 16 | g << 8 | b;
        }
        img.setRGB(0, 0, w, h, rgb, 0, w);
        return img;
    }

    /** One image as an NDArray (C, H, W): UINT8 as is, floats taken to be in [-1, 1]. */
    public static BufferedImage toImage(NDArray chw) {
        Shape s = chw.getShape();
        if (s.dimension() != 3) {
            throw new IllegalArgumentException("expected one image (C, H, W), got shape " + s);
        }
        byte[] pixels = chw.getDataType() == DataType.UINT8 ? chw.toByteArray() : toUint8(chw.toFloatArray());
        return toImage(pixels, 0, (int) s.get(0), (int) s.get(1), (int) s.get(2));
    }

    /** Writes {@code img} as a PNG, atomically. */
    public static void writePng(Path file, BufferedImage img) throws IOException {
        AtomicFiles.write(file, tmp -> {
            if (!ImageIO.write(img, "png", tmp.toFile())) {
                throw new IOException("no PNG writer for image type " + img.getType());
            }
        });
    }

    /** Writes one image (C, H, W), uint8 or [-1, 1] floats, as a PNG, atomically. */
    public static void writePng(Path file, NDArray chw) throws IOException {
        writePng(file, toImage(chw));
    }

    /**
     * The most pixels an image may have to be decoded: 100 megapixels, 400 MB as ARGB. A PNG of a
     * few kilobytes can declare 50,000×50,000 pixels, and the decoder allocates them all up front.
     */
    public static final long MAX_PIXELS = 100_000_000L;

    private static final String IMAGE = "a PNG, JPEG, BMP or GIF image";

    /**
     * Reads an image file (PNG, JPEG, BMP, GIF); an undecodable file, or one whose header declares
     * more than {@link #MAX_PIXELS} pixels, is an {@link InputException} raised before decoding.
     */
    public static BufferedImage read(Path file) {
        InputFiles.requireFile(file, IMAGE);
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw InputException.inFile(file, "not a decodable image, expected " + IMAGE);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0);
                long h = reader.getHeight(0);
                if (w * h > MAX_PIXELS) {
                    throw InputException.inFile(file, "image is " + w + "×" + h + " (" + w * h + " pixels), more than the "
                            + MAX_PIXELS + " that are decoded; scale it down first");
                }
                return reader.read(0, reader.getDefaultReadParam());
            } finally {
                reader.dispose();
            }
        } catch (InputException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw InputException.inFile(file, "not a decodable image (" + e.getMessage() + "), expected " + IMAGE, e);
        }
    }
}
