package ldm4j.autoencoder.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import ldm4j.autoencoder.AutoencoderConfig;
import ldm4j.autoencoder.AutoencoderKL;
import ldm4j.core.data.DataView;
import ldm4j.core.io.ImageIo;
import ldm4j.core.metrics.ReconstructionMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AutoencoderEvaluatorTest {
    @TempDir
    Path dir;

    /**
     * PSNR and SSIM are those of the pixels as saved: the dataset's uint8 originals against the
     * decoded posterior means turned into uint8 by {@link ImageIo#toUint8(float[])}, with L = 255
     * (scikit-image's convention on the .npy/PNG files), not of the model's [-1, 1] floats.
     */
    @Test
    void scoresTheSavedUint8PixelsAndHandsThemOver() throws IOException {
        DataView view = TinyData.open(dir, 36, 7).train();
        int n = 6;
        int batch = 4;
        try (NDManager root = NDManager.newBaseManager()) {
            AutoencoderKL model = new AutoencoderKL(new AutoencoderConfig(1, 8, List.of(1, 2), 1, 2, true, 0f));
            model.initialize(root);
            int[] positions = AutoencoderEvaluator.subset(view, n);
            byte[] originals = view.raw(positions).pixels();
            byte[] reconstructions = new byte[originals.length];
            int size = originals.length / n;
            for (int from = 0; from < n; from += batch) {
                int[] part = Arrays.copyOfRange(positions, from, Math.min(n, from + batch));
                try (NDManager scope = root.newSubManager()) {
                    ParameterStore ps = new ParameterStore(scope, false);
                    var mean = model.encode(ps, view.batch(scope, part).images(), false).mean();
                    byte[] pixels = ImageIo.toUint8(model.decode(ps, mean, false).toFloatArray());
                    System.arraycopy(pixels, 0, reconstructions, from * size, pixels.length);
                }
            }

            ByteArrayOutputStream seenOriginals = new ByteArrayOutputStream();
            ByteArrayOutputStream seenReconstructions = new ByteArrayOutputStream();
            AutoencoderMetrics m = AutoencoderEvaluator.evaluate(model, view, n, batch, root, (o, r) -> {
                seenOriginals.writeBytes(o);
                seenReconstructions.writeBytes(r);
            });

            int s = TinyData.SIZE;
            assertEquals(ReconstructionMetrics.psnr(originals, reconstructions, n, 1, s, s), m.psnr(), 1e-9);
            assertEquals(ReconstructionMetrics.ssim(originals, reconstructions, n, 1, s, s), m.ssim(), 1e-9);
            assertArrayEquals(originals, seenOriginals.toByteArray());
            assertArrayEquals(reconstructions, seenReconstructions.toByteArray());
            AutoencoderMetrics plain = AutoencoderEvaluator.evaluate(model, view, n, batch, root);
            assertEquals(m.psnr(), plain.psnr(), 0);
            assertEquals(m.ssim(), plain.ssim(), 0);
        }
    }
}
