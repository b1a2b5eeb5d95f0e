package ldm4j.pipeline.stage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import ldm4j.autoencoder.train.AutoencoderTrainConfig;
import ldm4j.core.io.Json;
import ldm4j.diffusion.train.DiffusionTrainConfig;
import ldm4j.pipeline.eval.TinySquares;

/**
 * Tiny synthetic data and stage configs for the stage and driver tests: {@link TinySquares}' 16×16
 * grey squares whose horizontal position is the class (3 classes), an autoencoder of f = 2 and z = 2, and a UNet of 16
 * channels, each trained for a couple of steps.
 */
public final class TinyStages {
    public static final int SIDE = TinySquares.SIDE;
    public static final int CLASSES = TinySquares.CLASSES;

    private TinyStages() {}

    /** The YAML keys of a tiny autoencoder section (no steps, no beta: callers add them). */
    public static final String AUTOENCODER = """
            model: {ch: 16, ch_mult: [1, 2], num_res_blocks: 1, z_channels: 2, attention: false}
            loss: l2
            batch_size: 8
            warmup: 1
            log_every: 1
            eval_every: 0
            checkpoint_every: 0
            eval_images: 12
            final_eval_images: 12
            scale_images: 24
            reconstruction_images: 4
            """;

    /** The YAML keys of a tiny diffusion section (no steps: callers add them). */
    public static final String DIFFUSION = """
            model: {model_channels: 16, channel_mult: [1], num_res_blocks: 1, attention_resolutions: []}
            batch_size: 8
            warmup: 1
            class_conditional: true
            sample_every: 0
            checkpoint_every: 0
            sample_count: 4
            sample_steps: 2
            """;

    /** A tiny autoencoder config for one channel. */
    public static AutoencoderTrainConfig autoencoder(long steps, double beta) throws IOException {
        return AutoencoderTrainConfig.resolve(AutoencoderTrainConfig.defaults(1),
                Json.readYamlTree(yaml(AUTOENCODER + "steps: " + steps + "\nbeta: " + beta + "\n")),
                Path.of("tiny autoencoder"), "autoencoder");
    }

    /** A tiny UNet config. */
    public static DiffusionTrainConfig diffusion(long steps) throws IOException {
        return DiffusionTrainConfig.resolve(Json.readYamlTree(yaml(DIFFUSION + "steps: " + steps + "\n")),
                Path.of("tiny diffusion"), "diffusion");
    }

    private static Path yaml(String text) throws IOException {
        Path file = Files.createTempFile("tiny-stage", ".yaml");
        Files.writeString(file, text);
        file.toFile().deleteOnExit();
        return file;
    }

    /** Writes {@code perClass} images per class as idx files in {@code dir} and returns their spec. */
    public static String squares(Path dir, int perClass) throws IOException {
        return TinySquares.spec(dir, perClass, true);
    }
}
