package ldm4j.pipeline.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import ldm4j.core.data.UInt8Images;
import org.junit.jupiter.api.Test;

/** Shifts and flips keep the pixels, labels and background of an image. */
class AugmentationTest {
    /** One 1×4×4 image whose pixel (y, x) holds 10·y + x. */
    private static UInt8Images ramp(int copies) {
        byte[] p = new byte[copies * 16];
        for (int i = 0; i < copies; i++) {
            for (int j = 0; j < 16; j++) {
                p[i * 16 + j] = (byte) (10 * (j / 4) + j % 4);
            }
        }
        return new UInt8Images(copies, 1, 4, 4, p, new int[copies]);
    }

    @Test
    void flipOnlyMirrorsEachRowOrLeavesItAlone() {
        UInt8Images in = ramp(50);
        UInt8Images out = Augmentation.apply(in, 0, true, new SplittableRandom(1));
        int flipped = 0;
        for (int i = 0; i < 50; i++) {
            byte[] img = out.image(i);
            boolean mirrored = img[0] == 3;
            flipped += mirrored ? 1 : 0;
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 4; x++) {
                    int sx = mirrored ? 3 - x : x;
                    assertEquals(10 * y + sx, img[y * 4 + x]);
                }
            }
        }
        assertTrue(flipped > 10 && flipped < 40, flipped + " of 50 flipped");
        assertSame(in.labels(), out.labels());
    }

    @Test
    void shiftTranslatesWithinRangeAndReplicatesEdges() {
        UInt8Images out = Augmentation.apply(ramp(200), 1, false, new SplittableRandom(2));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            byte[] img = out.image(i);
            // pixel (1, 1) of a shifted image is source (1 - dy, 1 - dx): any |d| <= 1 stays inside
            int dy = 1 - img[5] / 10;
            int dx = 1 - img[5] % 10;
            assertTrue(Math.abs(dy) <= 1 && Math.abs(dx) <= 1, "shift " + dy + "," + dx);
            seen.add(dy + "," + dx);
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 4; x++) {
                    int sy = Math.min(3, Math.max(0, y - dy));
                    int sx = Math.min(3, Math.max(0, x - dx));
                    assertEquals(10 * sy + sx, img[y * 4 + x]);
                }
            }
        }
        assertEquals(9, seen.size(), "every shift in [-1, 1]² occurs");
    }

    @Test
    void noAugmentationReturnsTheInput() {
        UInt8Images in = ramp(3);
        assertSame(in, Augmentation.apply(in, 0, false, new SplittableRandom(3)));
        assertArrayEquals(in.pixels(), Augmentation.apply(in, 0, false, new SplittableRandom(3)).pixels());
    }
}
