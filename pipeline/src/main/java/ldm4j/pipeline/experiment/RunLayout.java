package ldm4j.pipeline.experiment;

import java.nio.file.Path;

/**
 * Where everything of one run lives (DESIGN "Run directory").
 *
 * <pre>
 * runs/NAME/
 *   config.yaml                 the run config as given; each stage writes its resolved config too
 *   run-state.json              which stages are done and how long each took
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
 * @param root the run directory
 */
public record RunLayout(Path root) {
    public Path config() {
        return root.resolve("config.yaml");
    }

    public Path state() {
        return root.resolve("run-state.json");
    }

    public Path autoencoder() {
        return root.resolve("autoencoder");
    }

    public Path autoencoderCheckpoint() {
        return autoencoder().resolve("checkpoint");
    }

    public Path latents() {
        return root.resolve("latents");
    }

    public Path diffusion() {
        return root.resolve("diffusion");
    }

    public Path diffusionCheckpoint() {
        return diffusion().resolve("checkpoint");
    }

    public Path samples() {
        return root.resolve("samples");
    }

    public Path baselineAutoencoder() {
        return root.resolve("baseline").resolve("autoencoder");
    }

    public Path baselineAutoencoderCheckpoint() {
        return baselineAutoencoder().resolve("checkpoint");
    }

    public Path baselineSamples() {
        return root.resolve("baseline").resolve("samples");
    }

    public Path eval() {
        return root.resolve("eval");
    }

    public Path summaryMarkdown() {
        return root.resolve("summary.md");
    }

    public Path summaryJson() {
        return root.resolve("summary.json");
    }
}
