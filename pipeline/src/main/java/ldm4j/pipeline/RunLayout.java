package ldm4j.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import ldm4j.core.InputException;
import ldm4j.core.io.Checkpoints;

/**
 * Where the stages of an end-to-end run directory keep their checkpoints (DESIGN.md, "Run
 * directory"):
 *
 * <pre>
 * runs/&lt;name&gt;/
 *   autoencoder/checkpoint/   train-ae's checkpoint
 *   diffusion/checkpoint/     train-ldm's checkpoint
 *   samples/                  grid.png, samples.npy
 *   eval/metrics.json
 * </pre>
 */
public final class RunLayout {
    /** The autoencoder stage's folder. */
    public static final String AUTOENCODER = "autoencoder";
    /** The diffusion stage's folder. */
    public static final String DIFFUSION = "diffusion";
    /** The sampling stage's folder. */
    public static final String SAMPLES = "samples";
    /** The evaluation stage's folder. */
    public static final String EVAL = "eval";
    /** A stage's checkpoint folder. */
    public static final String CHECKPOINT = "checkpoint";

    private RunLayout() {}

    /** {@code run/autoencoder/checkpoint}. */
    public static Path autoencoderCheckpoint(Path run) {
        return run.resolve(AUTOENCODER).resolve(CHECKPOINT);
    }

    /** {@code run/diffusion} (a train-ldm run directory; its checkpoint is inside). */
    public static Path diffusionRun(Path run) {
        return run.resolve(DIFFUSION);
    }

    /**
     * The checkpoint folder of a train-ae run or checkpoint directory: {@code dir} when it holds the
     * sidecar, else {@code dir/checkpoint} when that does.
     *
     * @throws InputException naming {@code dir} when neither holds one
     */
    public static Path locateAutoencoder(Path dir) {
        if (Files.isRegularFile(dir.resolve(Checkpoints.SIDECAR))) {
            return dir;
        }
        Path inner = dir.resolve(CHECKPOINT);
        if (Files.isRegularFile(inner.resolve(Checkpoints.SIDECAR))) {
            return inner;
        }
        throw InputException.inFile(dir, Files.isDirectory(dir)
                ? "not a train-ae checkpoint (no " + Checkpoints.SIDECAR + " in it or in " + CHECKPOINT + "/)"
                : "no such autoencoder directory");
    }
}
