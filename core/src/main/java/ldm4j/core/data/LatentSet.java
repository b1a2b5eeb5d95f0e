package ldm4j.core.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import ldm4j.core.InputException;
import ldm4j.core.io.AtomicFiles;
import ldm4j.core.io.InputFiles;
import ldm4j.core.io.Json;
import ldm4j.core.io.Npy;
import ldm4j.core.io.NpyArray;

/**
 * A dataset's latents as {@code ldm4j encode} writes them and stage 2 reads them: the hand-off
 * between the autoencoder and the diffusion model, which never import each other.
 *
 * <p>On disk it is a directory: {@code latents.json} ({@link Header}), {@code train.npy} and
 * {@code test.npy} (float32 N×C×H×W, <em>unscaled</em> latents as the encoder gives them),
 * {@code train-labels.npy} and {@code test-labels.npy} (int32 N; −1 when unlabelled). Stage 2
 * multiplies by {@link Header#scaleFactor()} before diffusion, and the pipeline divides by it before
 * decoding (LDM sec. 4.3.2), so the files stay valid whichever scale a later run prefers.
 *
 * @param header shape, scale factor and where the latents came from (which autoencoder, by the hash of
 *     its weights)
 * @param train training latents, N×C×H×W flattened
 * @param trainLabels training labels
 * @param test test latents
 * @param testLabels test labels
 */
public record LatentSet(Header header, float[] train, int[] trainLabels, float[] test, int[] testLabels) {
    /** The JSON sidecar's file name. */
    public static final String HEADER = "latents.json";

    /**
     * What {@code latents.json} holds.
     *
     * @param channels latent channels C
     * @param height latent height H
     * @param width latent width W
     * @param trainCount training latents
     * @param testCount test latents
     * @param numClasses classes of the source dataset (0 when unlabelled)
     * @param scaleFactor 1/std of the latents (LDM's scale_factor); multiply before diffusion
     * @param mode "mean" (posterior mean) or "sample"
     * @param dataset the source dataset name or spec
     * @param datasetHash the source dataset's cache hash
     * @param autoencoder the autoencoder checkpoint directory that encoded them (provenance only: it may
     *     have moved since)
     * @param autoencoderSha256 the SHA-256 of the encoding autoencoder's weights
     *     ({@code ldm4j.core.io.WeightsHash}): what identifies it, wherever it lies. The scale factor is
     *     that autoencoder's. Null in latents written before ldm4j recorded it.
     */
    public record Header(int channels, int height, int width, int trainCount, int testCount, int numClasses,
            double scaleFactor, String mode, String dataset, String datasetHash, String autoencoder,
            String autoencoderSha256) {
        public Header {
            if (channels <= 0 || height <= 0 || width <= 0) {
                throw new IllegalArgumentException("latent shape must be positive, got " + channels + "×" + height
                        + "×" + width);
            }
            if (trainCount < 0 || testCount < 0) {
                throw new IllegalArgumentException("counts must be >= 0");
            }
            if (!(scaleFactor > 0) || !Double.isFinite(scaleFactor)) {
                throw new IllegalArgumentException("scaleFactor must be a positive number, got " + scaleFactor);
            }
        }

        /** C·H·W. */
        public int elements() {
            return channels * height * width;
        }

        /** {C, H, W}. */
        public long[] shape() {
            return new long[] {channels, height, width};
        }
    }

    public LatentSet {
        int e = header.elements();
        if (train.length != (long) header.trainCount() * e || trainLabels.length != header.trainCount()) {
            throw new IllegalArgumentException("train arrays do not match the header's count and shape");
        }
        if (test.length != (long) header.testCount() * e || testLabels.length != header.testCount()) {
            throw new IllegalArgumentException("test arrays do not match the header's count and shape");
        }
    }

    /** Writes the set as a directory, atomically: a failure leaves any old directory as it was. */
    public void write(Path dir) throws IOException {
        AtomicFiles.writeDirectory(dir, tmp -> {
            long[] c = header.shape();
            Npy.write(tmp.resolve("train.npy"), NpyArray.ofFloat32(train, header.trainCount(), c[0], c[1], c[2]));
            Npy.write(tmp.resolve("test.npy"), NpyArray.ofFloat32(test, header.testCount(), c[0], c[1], c[2]));
            Npy.write(tmp.resolve("train-labels.npy"), NpyArray.ofInt32(trainLabels, header.trainCount()));
            Npy.write(tmp.resolve("test-labels.npy"), NpyArray.ofInt32(testLabels, header.testCount()));
            Json.write(tmp.resolve(HEADER), header);
        });
    }

    /** True when {@code dir} looks like a latent directory (it has a header). */
    public static boolean isLatentDir(Path dir) {
        return Files.isRegularFile(dir.resolve(HEADER));
    }

    /**
     * Reads a latent directory, checking every array against the header.
     *
     * @throws InputException naming the file when something is missing or does not match
     */
    public static LatentSet read(Path dir) {
        Header h = readHeader(dir);
        float[] train = floats(dir.resolve("train.npy"), h.trainCount(), h);
        float[] test = readTest(dir, h);
        int[] trainLabels = ints(dir.resolve("train-labels.npy"), h.trainCount());
        int[] testLabels = ints(dir.resolve("test-labels.npy"), h.testCount());
        return new LatentSet(h, train, trainLabels, test, testLabels);
    }

    /**
     * Reads only a latent directory's header.
     *
     * @throws InputException when the directory or its header is missing or unreadable
     */
    public static Header readHeader(Path dir) {
        String expected = "a latent directory (write one with `ldm4j encode`)";
        InputFiles.requireDirectory(dir, expected);
        if (!Files.exists(dir.resolve(HEADER))) {
            throw InputFiles.fault(dir, "has no " + HEADER, expected);
        }
        return Json.read(dir.resolve(HEADER), Header.class);
    }

    /**
     * Reads only the test latents, checked against {@code header}: what an analysis of the latent
     * space needs, without the six-times-larger training split.
     */
    public static float[] readTest(Path dir, Header header) {
        return floats(dir.resolve("test.npy"), header.testCount(), header);
    }

    private static float[] floats(Path file, int count, Header h) {
        NpyArray a = Npy.read(file);
        long[] want = {count, h.channels(), h.height(), h.width()};
        if (!a.dtype().equals(NpyArray.FLOAT32) || !Arrays.equals(a.shape(), want)) {
            throw InputException.inFile(file, "expected float32 " + Arrays.toString(want) + " as " + HEADER
                    + " says, found " + a.dtype() + " " + Arrays.toString(a.shape()));
        }
        return a.toFloatArray();
    }

    private static int[] ints(Path file, int count) {
        NpyArray a = Npy.read(file);
        if (!a.dtype().equals(NpyArray.INT32) || a.shape().length != 1 || a.shape()[0] != count) {
            throw InputException.inFile(file, "expected int32 [" + count + "] labels, found " + a.dtype() + " "
                    + Arrays.toString(a.shape()));
        }
        return a.toIntArray();
    }
}
