package ldm4j.autoencoder.train;

import ai.djl.ndarray.NDManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import ldm4j.autoencoder.AutoencoderKL;
import ldm4j.core.data.DataView;
import ldm4j.core.data.UInt8Images;
import ldm4j.core.io.ImageGrid;
import ldm4j.core.io.Npy;
import ldm4j.core.io.NpyArray;

/**
 * The reconstruction grid: {@code n} images of a split (the seeded evaluation subset, {@link
 * AutoencoderEvaluator#subset}, so that several classes show) above their reconstructions. The PNG,
 * the .npy files and the PSNR and SSIM all come from one set of uint8 pixels ({@link #score}).
 */
public final class Reconstructions {
    private Reconstructions() {}

    /**
     * The pixels that were scored, and their scores.
     *
     * @param originals the dataset's pixels, N×C×H×W
     * @param reconstructions their posterior-mean reconstructions as saved (uint8), N×C×H×W
     * @param metrics PSNR and SSIM of exactly these pixels, with the latent statistics
     */
    public record Scored(UInt8Images originals, UInt8Images reconstructions, AutoencoderMetrics metrics) {
        /** Number of images. */
        public int count() {
            return originals.count();
        }
    }

    /**
     * Reconstructs and scores {@code n} images of {@code view} ({@link AutoencoderEvaluator}), keeping
     * the pixels it scored.
     *
     * @param model the autoencoder (evaluation mode)
     * @param view the split to take images from
     * @param n images (fewer if the split is smaller)
     * @param batchSize images per forward pass
     * @param root a long-lived manager; the work happens on sub-managers
     */
    public static Scored score(AutoencoderKL model, DataView view, int n, int batchSize, NDManager root) {
        if (n <= 0 || view.size() == 0) {
            throw new IllegalArgumentException("no images to reconstruct in the " + view.split() + " split");
        }
        ByteArrayOutputStream originals = new ByteArrayOutputStream();
        ByteArrayOutputStream reconstructions = new ByteArrayOutputStream();
        AutoencoderMetrics metrics = AutoencoderEvaluator.evaluate(model, view, n, batchSize, root, (o, r) -> {
            originals.writeBytes(o);
            reconstructions.writeBytes(r);
        });
        UInt8Images all = view.dataset().images();
        int count = metrics.images();
        return new Scored(
                new UInt8Images(count, all.channels(), all.height(), all.width(), originals.toByteArray(), null),
                new UInt8Images(count, all.channels(), all.height(), all.width(), reconstructions.toByteArray(), null),
                metrics);
    }

    /**
     * Writes a PNG of two rows: originals on top, their reconstructions below, so each column
     * compares one image; atomically.
     *
     * @param scale integer upscaling of each image in the grid
     */
    public static void writePng(Path png, Scored scored, int scale) throws IOException {
        UInt8Images o = scored.originals();
        byte[] both = new byte[2 * o.pixels().length];
        System.arraycopy(o.pixels(), 0, both, 0, o.pixels().length);
        System.arraycopy(scored.reconstructions().pixels(), 0, both, o.pixels().length, o.pixels().length);
        ImageGrid.write(png, both, 2 * o.count(), o.channels(), o.height(), o.width(),
                ImageGrid.Options.defaults().withNrow(o.count()).withScale(scale));
    }

    /**
     * Writes the scored pixels as uint8 N×C×H×W .npy files next to {@code png}: {@code
     * STEM-originals.npy} and {@code STEM-reconstructions.npy}, each atomically.
     *
     * @return the two files, originals first
     */
    public static Path[] writeNpy(Path png, Scored scored) throws IOException {
        Path originals = sibling(png, "-originals.npy");
        Path reconstructions = sibling(png, "-reconstructions.npy");
        Npy.write(originals, NpyArray.ofUint8(scored.originals().pixels(), scored.originals().shape()));
        Npy.write(reconstructions, NpyArray.ofUint8(scored.reconstructions().pixels(), scored.reconstructions().shape()));
        return new Path[] {originals, reconstructions};
    }

    /**
     * Scores {@code n} images and writes their grid ({@link #writePng}).
     *
     * @param model the autoencoder (evaluation mode)
     * @param view the split to take images from
     * @param n images per row (fewer if the split is smaller)
     * @param scale integer upscaling of each image in the grid
     * @param png the file to write, atomically
     * @param root a long-lived manager; the work happens on a sub-manager
     * @return the number of images shown
     */
    public static int write(AutoencoderKL model, DataView view, int n, int scale, Path png, NDManager root)
            throws IOException {
        Scored scored = score(model, view, n, n, root);
        writePng(png, scored, scale);
        return scored.count();
    }

    /** {@code dir/recon.png} → {@code dir/recon<suffix>}; a name without an extension keeps it whole. */
    static Path sibling(Path png, String suffix) {
        String name = png.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        return png.resolveSibling(stem + suffix);
    }
}
