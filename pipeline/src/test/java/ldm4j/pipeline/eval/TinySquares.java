package ldm4j.pipeline.eval;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import ldm4j.core.data.Dataset;
import ldm4j.core.data.DatasetStore;
import ldm4j.core.data.ProgressListener;

/**
 * An easily separable synthetic set: 16×16 grey images of noise with a bright 5×5 square whose
 * horizontal position (left, middle, right) is the class; the vertical position is random. Written
 * as idx files and prepared through the real cache, no network.
 */
public final class TinySquares {
    public static final int SIDE = 16;
    public static final int CLASSES = 3;

    private TinySquares() {}

    /** A tiny network: two stages of 16 and 32 channels, 24-d features. */
    static ClassifierConfig model() {
        return new ClassifierConfig(1, CLASSES, List.of(16, 32), 24, 0.0);
    }

    /** A short recipe that separates the squares: 100 steps of 32, shifts of up to 1 pixel. */
    static ClassifierTrainingConfig training() {
        return new ClassifierTrainingConfig(100, 32, 3e-3, 0.01, 10, 1, false, 7);
    }

    /** Writes {@code perClass} images per class and opens them from a cache under {@code dir}. */
    static Dataset open(Path dir, int perClass) throws IOException {
        return store(dir).open(spec(dir, perClass, true));
    }

    /** A store at {@code dir/cache} that refuses to fetch (only specs are used). */
    static DatasetStore store(Path dir) {
        return new DatasetStore(dir.resolve("cache"), (name, version, work) -> {
            throw new AssertionError("tests must not fetch " + name);
        }, ProgressListener.NONE);
    }

    /** Writes the idx files and returns their spec, with or without the labels file. */
    public static String spec(Path dir, int perClass, boolean labelled) throws IOException {
        int n = perClass * CLASSES;
        SplittableRandom random = new SplittableRandom(42);
        Path images = dir.resolve("squares-images.idx");
        Path labels = dir.resolve("squares-labels.idx");
        try (DataOutputStream img = new DataOutputStream(Files.newOutputStream(images));
                DataOutputStream lab = new DataOutputStream(Files.newOutputStream(labels))) {
            img.writeInt(0x00000803);
            img.writeInt(n);
            img.writeInt(SIDE);
            img.writeInt(SIDE);
            lab.writeInt(0x00000801);
            lab.writeInt(n);
            for (int i = 0; i < n; i++) {
                int label = i % CLASSES;
                byte[] pixels = squareImage(label, random);
                img.write(pixels);
                lab.writeByte(label);
            }
        }
        return "idx:" + images + (labelled ? "," + labels : "");
    }

    /** One image of class {@code label}: noise in [0, 60), a 5×5 square of 200..255 at x ≈ 1, 6 or 10. */
    static byte[] squareImage(int label, SplittableRandom random) {
        byte[] pixels = new byte[SIDE * SIDE];
        for (int j = 0; j < pixels.length; j++) {
            pixels[j] = (byte) random.nextInt(60);
        }
        int x0 = 1 + 5 * label + random.nextInt(-1, 1);
        int y0 = random.nextInt(0, SIDE - 5);
        for (int y = y0; y < y0 + 5; y++) {
            for (int x = Math.max(0, x0); x < x0 + 5; x++) {
                pixels[y * SIDE + x] = (byte) (200 + random.nextInt(56));
            }
        }
        return pixels;
    }
}
