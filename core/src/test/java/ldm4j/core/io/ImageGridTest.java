package ldm4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import ldm4j.core.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageGridTest {
    @TempDir
    Path dir;

    private static int grey(BufferedImage img, int x, int y) {
        return img.getRaster().getSample(x, y, 0);
    }

    /** Three 2×2 grey images, value 10·image + pixel index. */
    private static byte[] threeGreyImages() {
        byte[] px = new byte[3 * 4];
        for (int i = 0; i < 3; i++) {
            for (int p = 0; p < 4; p++) {
                px[i * 4 + p] = (byte) (10 * (i + 1) + p);
            }
        }
        return px;
    }

    @Test
    void greyImagesLandAtTheirCellsScaledWithPaddingBetween() throws Exception {
        var o = ImageGrid.Options.defaults().withNrow(2).withPadding(1).withPadColor(0x808080).withScale(2);
        BufferedImage g = ImageGrid.render(threeGreyImages(), 3, 1, 2, 2, o);
        // 2 columns, 2 rows of (2·2 + 1) px cells plus 1 px: 11 × 11.
        assertEquals(11, g.getWidth());
        assertEquals(11, g.getHeight());
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, g.getType());
        // Image 0 at (1, 1); its pixel (row 0, col 1) covers x 3..4, y 1..2.
        assertEquals(10, grey(g, 1, 1));
        assertEquals(10, grey(g, 2, 2));
        assertEquals(11, grey(g, 3, 1));
        assertEquals(13, grey(g, 4, 4));
        // Image 1 at (6, 1); image 2 at (1, 6).
        assertEquals(20, grey(g, 6, 1));
        assertEquals(23, grey(g, 9, 4));
        assertEquals(30, grey(g, 1, 6));
        // Padding: border, gap between images, and the empty fourth cell.
        assertEquals(128, grey(g, 0, 0));
        assertEquals(128, grey(g, 5, 2));
        assertEquals(128, grey(g, 2, 5));
        assertEquals(128, grey(g, 7, 7));
    }

    @Test
    void rgbImagesKeepTheirColoursOnWhitePadding() throws Exception {
        // Two 1×1 RGB images, red then green, in NCHW order.
        byte[] px = {(byte) 255, 0, 0, 0, (byte) 200, 0};
        BufferedImage g = ImageGrid.render(px, 2, 3, 1, 1, ImageGrid.Options.defaults());
        assertEquals(2 * (1 + 2) + 2, g.getWidth());
        assertEquals(1 + 4, g.getHeight());
        assertEquals(0xFF0000, g.getRGB(2, 2) & 0xFFFFFF);
        assertEquals(0x00C800, g.getRGB(5, 2) & 0xFFFFFF);
        assertEquals(0xFFFFFF, g.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0xFFFFFF, g.getRGB(3, 2) & 0xFFFFFF);
    }

    @Test
    void writtenFileIsAReadablePngOfTheExpectedSizeAndPixels() throws Exception {
        Path f = dir.resolve("grid.png");
        var o = ImageGrid.Options.defaults().withNrow(3);
        ImageGrid.write(f, threeGreyImages(), 3, 1, 2, 2, o);
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(f), 8);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}, head);
        BufferedImage back = ImageIo.read(f);
        assertEquals(3 * (2 + 2) + 2, back.getWidth());
        assertEquals(2 + 4, back.getHeight());
        assertEquals(33, grey(back, 2 + 2 * 4 + 1, 3)); // image 2, pixel (row 1, col 1)
        assertEquals(255, grey(back, 0, 0));
        assertEquals(false, AtomicFiles.hasLeftovers(dir));
    }

    @Test
    void floatImagesAreMappedFromMinusOneOneAndClamped() throws Exception {
        assertArrayEquals(new byte[] {0, (byte) 128, (byte) 255, (byte) 255, 0, 0, 64},
                ImageIo.toUint8(new float[] {-1f, 0f, 1f, 2.5f, -3f, Float.NaN, -0.5f}));
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {-1f, 0f, 1f, 0.5f}, new Shape(4, 1, 1, 1));
            BufferedImage g = ImageGrid.render(x, ImageGrid.Options.defaults().withPadding(0));
            assertEquals(4, g.getWidth());
            assertEquals(0, grey(g, 0, 0));
            assertEquals(128, grey(g, 1, 0));
            assertEquals(255, grey(g, 2, 0));
            assertEquals(191, grey(g, 3, 0));
            NDArray u = ImageIo.toUint8(x);
            assertEquals(DataType.UINT8, u.getDataType());
            assertEquals(x.getShape(), u.getShape());
            assertArrayEquals(new byte[] {0, (byte) 128, (byte) 255, (byte) 191}, u.toByteArray());
            Path single = dir.resolve("one.png");
            ImageIo.writePng(single, m.create(new float[] {1f, -1f, 0f}, new Shape(3, 1, 1)));
            assertEquals(0xFF0080, ImageIo.read(single).getRGB(0, 0) & 0xFFFFFF);
        }
    }

    @Test
    void badInputsAreRejected() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.render(new byte[8], 2, 2, 1, 2,
                ImageGrid.Options.defaults()));
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.Options.defaults().withScale(0));
        Path notPng = dir.resolve("x.png");
        Files.writeString(notPng, "hello");
        assertEquals(notPng + ": not a decodable image, expected a PNG, JPEG, BMP or GIF image",
                assertThrows(InputException.class, () -> ImageIo.read(notPng)).getMessage());
    }
}
