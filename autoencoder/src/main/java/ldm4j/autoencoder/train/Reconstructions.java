package ldm4j.autoencoder.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import ldm4j.autoencoder.AutoencoderKL;
import ldm4j.core.data.DataView;
import ldm4j.core.io.ImageGrid;

/**
 * The reconstruction grid: {@code n} images of a split (the seeded evaluation subset, {@link
 * AutoencoderEvaluator#subset}, so that several classes show) above their reconstructions.
 */
public final class Reconstructions {
    private Reconstructions() {}

    /**
     * Writes a PNG of two rows: originals on top, their posterior-mean reconstructions (clamped to
     * [-1, 1]) below, so each column compares one image.
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
        if (n <= 0 || view.size() == 0) {
            throw new IllegalArgumentException("no images to reconstruct in the " + view.split() + " split");
        }
        int[] positions = AutoencoderEvaluator.subset(view, n);
        int count = positions.length;
        try (NDManager scope = root.newSubManager()) {
            NDArray x = view.batch(scope, positions).images();
            ParameterStore ps = new ParameterStore(scope, false);
            NDArray reconstruction = model.decode(ps, model.encode(ps, x, false).mean(), false).clip(-1f, 1f);
            ImageGrid.write(png, x.concat(reconstruction, 0),
                    ImageGrid.Options.defaults().withNrow(count).withScale(scale));
        }
        return count;
    }
}
