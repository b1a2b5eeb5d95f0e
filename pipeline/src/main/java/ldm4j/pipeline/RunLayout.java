package ldm4j.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import ldm4j.core.InputException;
import ldm4j.core.io.Checkpoints;
import ldm4j.core.io.InputFiles;

/**
 * Where everything of one run lives (README, the layout of runs/demo).
 *
 * <pre>
 * runs/NAME/
 *   config.yaml                 the run config as given; each stage writes its resolved config too
 *   run-state.json              which stages are done, how long each took, the config fingerprint of each
 *   autoencoder/                checkpoint/, train-log.csv, metrics.json, reconstructions.png
 *   latents/                    the LatentSet (latents.json, *.npy)
 *   diffusion/                  checkpoint/ (+EMA), train-log.csv, samples-step*.png
 *   samples/                    grid.png, samples.npy, labels.npy
 *   baseline/autoencoder/       the β = 1 VAE
 *   baseline/samples/           its prior samples
 *   eval/metrics.json
 *   summary.md, summary.json
 * </pre>
 *
 * <p>The static helpers find a stage inside a run directory given on the command line.
 *
 * @param root the run directory
 */
public record RunLayout(Path root) {
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
        String expected = "a train-ae run or checkpoint directory";
        InputFiles.requireDirectory(dir, expected);
        throw InputFiles.fault(dir, "has no " + Checkpoints.SIDECAR + " in it or in " + CHECKPOINT + "/", expected);
    }

    public Path config() {
        return root.resolve("config.yaml");
    }

    public Path state() {
        return root.resolve("run-state.json");
    }

    public Path autoencoder() {
        return root.resolve(AUTOENCODER);
    }

    public Path autoencoderCheckpoint() {
        return autoencoder().resolve(CHECKPOINT);
    }

    public Path latents() {
        return root.resolve("latents");
    }

    /** A train-ldm run directory; its checkpoint is inside. */
    public Path diffusion() {
        return root.resolve(DIFFUSION);
    }

    public Path diffusionCheckpoint() {
        return diffusion().resolve(CHECKPOINT);
    }

    public Path samples() {
        return root.resolve(SAMPLES);
    }

    /**
     * The pixel-space VAE baseline's folder ({@code autoencoder/} and {@code samples/} inside). A
     * further baseline of the same run would go beside it under another name.
     */
    public Path baseline() {
        return root.resolve("baseline");
    }

    public Path baselineAutoencoder() {
        return baseline().resolve("autoencoder");
    }

    public Path baselineAutoencoderCheckpoint() {
        return baselineAutoencoder().resolve(CHECKPOINT);
    }

    public Path baselineSamples() {
        return baseline().resolve("samples");
    }

    public Path eval() {
        return root.resolve(EVAL);
    }

    public Path summaryMarkdown() {
        return root.resolve("summary.md");
    }

    public Path summaryJson() {
        return root.resolve("summary.json");
    }
}
