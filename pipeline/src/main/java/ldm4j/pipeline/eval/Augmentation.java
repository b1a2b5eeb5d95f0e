package ldm4j.pipeline.eval;

import java.util.SplittableRandom;
import ldm4j.core.data.UInt8Images;

/**
 * The classifier's training augmentation, on raw uint8 pixels: a random translation by up to
 * {@code maxShift} pixels in x and y with the edge pixels replicated (which keeps black
 * backgrounds black and white ones white), then an optional horizontal flip with probability 1/2.
 * This is a random crop of an edge-padded image, without the padding copy.
 */
final class Augmentation {
    private Augmentation() {}

    /** A new block with each image of {@code in} shifted and flipped at random; labels are shared. */
    static UInt8Images apply(UInt8Images in, int maxShift, boolean hflip, SplittableRandom random) {
        if (maxShift == 0 && !hflip) {
            return in;
        }
        int c = in.channels();
        int h = in.height();
        int w = in.width();
        byte[] src = in.pixels();
        byte[] out = new byte[src.length];
        for (int i = 0; i < in.count(); i++) {
            int dy = maxShift == 0 ? 0 : random.nextInt(-maxShift, maxShift + 1);
            int dx = maxShift == 0 ? 0 : random.nextInt(-maxShift, maxShift + 1);
            boolean flip = hflip && random.nextBoolean();
            int base = i * c * h * w;
            for (int ch = 0; ch < c; ch++) {
                int plane = base + ch * h * w;
                for (int y = 0; y < h; y++) {
                    int sy = Math.min(h - 1, Math.max(0, y - dy));
                    for (int x = 0; x < w; x++) {
                        int fx = flip ? w - 1 - x : x;
                        int sx = Math.min(w - 1, Math.max(0, fx - dx));
                        out[plane + y * w + x] = src[plane + sy * w + sx];
                    }
                }
            }
        }
        return new UInt8Images(in.count(), c, h, w, out, in.labels());
    }
}
