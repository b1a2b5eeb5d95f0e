package ldm4j.pipeline.stage;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import ldm4j.autoencoder.train.AutoencoderTrainConfig;
import ldm4j.core.io.Json;
import ldm4j.diffusion.train.DiffusionTrainConfig;

/**
 * Tiny synthetic data and stage configs for the stage and driver tests: 16×16 grey squares whose
 * horizontal position is the class (3 classes), an autoencoder of f = 2 and z = 2, and a UNet of 16
 * channels, each trained for a couple of steps.
 */
public final class TinyStages {
    public static final int SIDE = 16;
    public static final int CLASSES = 3;

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
        int n = CLASSES * perClass;
        SplittableRandom random = new SplittableRandom(11);
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
                byte[] p = new byte[SIDE * SIDE];
                for (int j = 0; j < p.length; j++) {
                    p[j] = (byte) random.nextInt(50);
                }
                int y0 = random.nextInt(SIDE - 4);
                for (int y = y0; y < y0 + 4; y++) {
                    for (int x = 1 + 5 * label; x < 5 + 5 * label; x++) {
                        p[y * SIDE + x] = (byte) 230;
                    }
                }
                img.write(p);
                lab.writeByte(label);
            }
        }
        return "idx:" + images + "," + labels;
    }
}
