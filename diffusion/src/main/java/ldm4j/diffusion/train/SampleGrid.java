package ldm4j.diffusion.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import ldm4j.core.io.ImageGrid;
import ldm4j.core.nn.Scalars;

/**
 * The trainer's preview grids. Pixel-space samples are images already. Latent samples are decoded
 * by a {@link LatentDecoder} when the caller has one; otherwise each latent channel becomes a grey
 * tile (one row per sample, one column per channel), mapped from [−3, 3] to black…white: the scaled
 * latents have unit variance, so ±3σ covers nearly all of them.
 */
public final class SampleGrid {
    /** Latent values at ±this map to white/black in the grey tiles. */
    public static final float LATENT_RANGE = 3f;

    private SampleGrid() {}

    /**
     * Writes {@code samples} (model space, N·C·H·W) as a PNG grid.
     *
     * @param decoder decodes latents, or null (grey tiles); ignored in pixel space
     * @param scaleFactor the latents' scale factor, divided out before decoding
     */
    public static void write(Path file, float[] samples, int n, long[] shape, DataSpace space, double scaleFactor,
            LatentDecoder decoder, NDManager manager) throws IOException {
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(samples, new Shape(n, shape[0], shape[1], shape[2]));
            int side = (int) Math.ceil(Math.sqrt(n));
            ImageGrid.Options options = ImageGrid.Options.defaults().withScale(shape[1] <= 16 ? 4 : 2);
            if (space == DataSpace.PIXEL) {
                ImageGrid.write(file, x, options.withNrow(side));
            } else if (decoder != null) {
                NDArray images = decoder.decode(Scalars.div(x, scaleFactor));
                ImageGrid.write(file, images, options.withNrow(side));
            } else {
                NDArray tiles = Scalars.div(x, LATENT_RANGE).clip(-1f, 1f).reshape(n * shape[0], 1, shape[1], shape[2]);
                ImageGrid.write(file, tiles, options.withNrow((int) shape[0]));
            }
        }
    }
}
