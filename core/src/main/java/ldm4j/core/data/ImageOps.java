package ldm4j.core.data;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** Pixel plumbing shared by the converters: alpha on white, resize-and-crop, CHW bytes, padding. */
public final class ImageOps {
    private ImageOps() {}

    /** Draws {@code src} (any type, with or without alpha) onto an opaque white RGB canvas. */
    public static BufferedImage onWhite(BufferedImage src) {
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            g.drawImage(src, 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * Scales an RGB image so its shorter side is {@code size}, then crops the centre square.
     *
     * <p>Downscaling halves the image with bilinear filtering until it is within 2× of the target,
     * then does one last bilinear step: a single big bilinear step would skip pixels and alias.
     */
    public static BufferedImage resizeCentreCrop(BufferedImage rgb, int size) {
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        double scale = (double) size / Math.min(w, h);
        int tw = Math.max(size, (int) Math.round(w * scale));
        int th = Math.max(size, (int) Math.round(h * scale));
        BufferedImage cur = rgb;
        while (cur.getWidth() >= 2 * tw && cur.getHeight() >= 2 * th) {
            cur = draw(cur, cur.getWidth() / 2, cur.getHeight() / 2, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        }
        if (cur.getWidth() != tw || cur.getHeight() != th) {
            Object hint = tw > cur.getWidth() ? RenderingHints.VALUE_INTERPOLATION_BICUBIC
                    : RenderingHints.VALUE_INTERPOLATION_BILINEAR;
            cur = draw(cur, tw, th, hint);
        }
        if (tw == size && th == size) {
            return cur;
        }
        return cur.getSubimage((tw - size) / 2, (th - size) / 2, size, size);
    }

    private static BufferedImage draw(BufferedImage src, int w, int h, Object interpolation) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(src, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * Writes an RGB image's pixels as C×H×W bytes at {@code offset}.
     *
     * @param channels 3 for R, G, B planes; 1 for grey (ITU-R BT.601 luma, as PIL's "L" mode)
     */
    public static void writeChw(BufferedImage rgb, int channels, byte[] dst, int offset) {
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        int[] argb = rgb.getRGB(0, 0, w, h, null, 0, w);
        int plane = w * h;
        for (int i = 0; i < plane; i++) {
            int p = argb[i];
            int r = (p >> 16) & 0xFF;
            int g = (p >> 8) & 0xFF;
            int b = p & 0xFF;
            if (channels == 1) {
                dst[offset + i] = (byte) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
            } else {
                dst[offset + i] = (byte) r;
                dst[offset + plane + i] = (byte) g;
                dst[offset + 2 * plane + i] = (byte) b;
            }
        }
    }

    /** Copies one h×w grey image into the centre of a zero (black) size×size square at {@code offset}. */
    public static void padGrey(byte[] src, int srcOffset, int h, int w, int size, byte[] dst, int offset) {
        int top = (size - h) / 2;
        int left = (size - w) / 2;
        for (int y = 0; y < h; y++) {
            System.arraycopy(src, srcOffset + y * w, dst, offset + (top + y) * size + left, w);
        }
    }
}
