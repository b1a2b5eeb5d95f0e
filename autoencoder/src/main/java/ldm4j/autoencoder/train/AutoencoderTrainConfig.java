package ldm4j.autoencoder.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import ldm4j.autoencoder.AutoencoderConfig;
import ldm4j.autoencoder.loss.DiscriminatorConfig;
import ldm4j.autoencoder.loss.ReconstructionLoss;
import ldm4j.core.InputException;
import ldm4j.core.io.Json;
import ldm4j.core.train.GivenKeys;
import ldm4j.core.train.LrSchedule;

/**
 * Everything that decides an autoencoder training run; stored in every checkpoint's sidecar so a
 * run can be resumed and a model rebuilt from it.
 *
 * <p>In YAML the keys are the field names in snake_case, as in LDM and the diffusion stage
 * ({@code beta: 1.0e-6}, {@code batch_size: 32}, {@code model: {ch: 32, ch_mult: [1, 2, 2]}}); enum
 * values are their ids ({@code l1}, {@code cosine}; {@link ldm4j.core.io.ConfigEnum}), in any case;
 * {@code clip}, the old name of {@code grad_clip}, still reads, with a line that says so.
 * {@link #resolve} layers defaults, a YAML file and command-line overrides, in that order, and
 * rejects unknown keys naming the file (a camelCase spelling of a key gets the snake_case one
 * suggested).
 *
 * @param model the architecture; {@code in_channels} comes from the dataset unless given
 * @param loss the reconstruction term (L1 is LDM's choice)
 * @param beta KL weight β (1e-6: LDM compressor; 1: textbook VAE with NLL)
 * @param steps training steps in all (a resumed run continues up to this number)
 * @param batchSize images per step
 * @param lr peak AdamW learning rate
 * @param minLr learning rate a cosine decay ends at; ignored by a constant schedule
 * @param lrDecay what follows the warm-up (see {@link LrSchedule})
 * @param warmup steps of linear warm-up
 * @param weightDecay AdamW's decoupled weight decay λ
 * @param gradClip global gradient-norm clip (Pascanu et al. 2013); {@code Infinity} only measures
 * @param ema whether an exponential moving average of the weights is kept (and used for evaluation,
 *     reconstruction and encoding)
 * @param emaDecay the EMA's decay, with LDM's (1 + n)/(10 + n) warm-up
 * @param disc the optional PatchGAN discriminator
 * @param evalEvery steps between evaluations on the test split (0: only at the end)
 * @param evalImages test images in a periodic evaluation (a fixed seeded subset of the split)
 * @param finalEvalImages test images in the final evaluation; 0 means the whole test split
 * @param scaleImages training images whose latents fix the scale factor (LDM: one batch; here ≥ 1,000
 *     for a stable estimate, fewer only when the split is smaller)
 * @param checkpointEvery steps between checkpoints (0: only at the end)
 * @param logEvery steps between rows of {@code train-log.csv}
 * @param reconstructionImages test images shown in {@code reconstructions.png}
 * @param seed fixes initialisation, data order, posterior noise and dropout
 * @param sigma the fixed standard deviation σ of {@code l2}'s Gaussian decoder, in the model's [-1, 1]
 *     pixel units: the loss is {@code ‖x − x̂‖² / (2σ²) + β·KL}, the negative ELBO up to a constant, so
 *     β = 1 is the textbook VAE. Null or absent means {@link #DEFAULT_SIGMA} = 1/√2, which is exactly
 *     the plain {@code ‖x − x̂‖² + β·KL} that {@code l2} always was; it is then left out of the JSON, so
 *     older configs and fingerprints read the same. Only {@code l2} takes another value ({@code nll}
 *     learns its σ, {@code l1} has none)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AutoencoderTrainConfig(
        AutoencoderConfig model,
        ReconstructionLoss loss,
        double beta,
        long steps,
        int batchSize,
        double lr,
        double minLr,
        LrSchedule.Decay lrDecay,
        long warmup,
        double weightDecay,
        double gradClip,
        boolean ema,
        double emaDecay,
        DiscriminatorConfig disc,
        long evalEvery,
        int evalImages,
        int finalEvalImages,
        int scaleImages,
        long checkpointEvery,
        long logEvery,
        int reconstructionImages,
        long seed,
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = DefaultSigma.class) Double sigma) {

    /** σ = 1/√2, for which {@code ‖x − x̂‖²/(2σ²)} is the plain sum of squared errors. */
    public static final double DEFAULT_SIGMA = ldm4j.autoencoder.loss.AutoencoderLoss.DEFAULT_SIGMA;

    /** Validates every field, naming it. */
    public AutoencoderTrainConfig {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(lrDecay, "lr_decay");
        Objects.requireNonNull(disc, "disc");
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta must be finite and >= 0, got " + beta);
        }
        if (steps <= 0) {
            throw new IllegalArgumentException("steps must be > 0, got " + steps);
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch_size must be > 0, got " + batchSize);
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("lr must be finite and > 0, got " + lr);
        }
        if (!(minLr >= 0 && minLr <= lr)) {
            throw new IllegalArgumentException("min_lr must be in [0, lr=" + lr + "], got " + minLr);
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("warmup must be >= 0, got " + warmup);
        }
        if (!LrSchedule.fits(lrDecay, warmup, steps)) {
            throw new IllegalArgumentException("steps (" + steps + ") must exceed warmup (" + warmup + ") for a cosine decay");
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weight_decay must be finite and >= 0, got " + weightDecay);
        }
        if (!(gradClip > 0)) {
            throw new IllegalArgumentException("grad_clip must be > 0, got " + gradClip);
        }
        if (!(emaDecay > 0 && emaDecay < 1)) {
            throw new IllegalArgumentException("ema_decay must be in (0, 1), got " + emaDecay);
        }
        if (evalEvery < 0 || checkpointEvery < 0) {
            throw new IllegalArgumentException("eval_every and checkpoint_every must be >= 0");
        }
        if (logEvery <= 0) {
            throw new IllegalArgumentException("log_every must be > 0, got " + logEvery);
        }
        if (evalImages <= 0 || finalEvalImages < 0 || scaleImages <= 0 || reconstructionImages <= 0) {
            throw new IllegalArgumentException("eval_images, scale_images and reconstruction_images must be > 0,"
                    + " final_eval_images >= 0");
        }
        sigma = sigma == null ? DEFAULT_SIGMA : sigma;
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma must be finite and > 0, got " + sigma);
        }
        if (sigma != DEFAULT_SIGMA && loss != ReconstructionLoss.L2) {
            throw new IllegalArgumentException("sigma applies to loss l2 only (nll learns its σ, l1 has none); got"
                    + " sigma " + sigma + " with loss " + loss.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    /**
     * This config for square images of {@code size} pixels: a dense latent without an image size gets
     * it ({@link AutoencoderConfig#withImageSize}); any other config is returned as it is.
     *
     * @throws IllegalArgumentException when a dense model was made for another size
     */
    public AutoencoderTrainConfig withImageSize(int size) {
        AutoencoderConfig sized = model.withImageSize(size);
        if (sized == model) {
            return this;
        }
        return new AutoencoderTrainConfig(sized, loss, beta, steps, batchSize, lr, minLr, lrDecay, warmup,
                weightDecay, gradClip, ema, emaDecay, disc, evalEvery, evalImages, finalEvalImages, scaleImages,
                checkpointEvery, logEvery, reconstructionImages, seed, sigma);
    }

    /**
     * The defaults, shaped like the quick preset: ch 32, ch_mult 1,2,2 (f = 4), one ResBlock, z 4,
     * mid attention; L1 with β = 1e-6 (LDM's compressor); AdamW 1e-3 with 100 warm-up steps and a
     * cosine decay; clip 1; no EMA; no discriminator.
     *
     * @param inChannels the dataset's channels
     */
    public static AutoencoderTrainConfig defaults(int inChannels) {
        return new AutoencoderTrainConfig(
                new AutoencoderConfig(inChannels, 32, List.of(1, 2, 2), 1, 4, true, 0f),
                ReconstructionLoss.L1, 1e-6, 2000, 32, 1e-3, 1e-5, LrSchedule.Decay.COSINE, 100, 0.0, 1.0,
                false, 0.999, DiscriminatorConfig.off(), 500, 1000, 0, 2000, 500, 10, 16, 0, DEFAULT_SIGMA);
    }

    /** The learning-rate schedule: warm-up, then constant or cosine to {@code minLr} at {@code steps}. */
    public LrSchedule schedule() {
        return LrSchedule.of(lrDecay, lr, minLr, warmup, steps);
    }

    /**
     * Builds a config: {@code base}, then the YAML file (if any), then the overrides, each replacing
     * what it names (nested objects merge key by key).
     *
     * @param base the starting point, e.g. {@link #defaults}
     * @param yaml a YAML config file, or null
     * @param overrides dotted config keys, snake_case as in the YAML ({@code "beta"}, {@code "batch_size"},
     *     {@code "model.ch_mult"}, {@code "disc.start"}), to values; null values are left out, so unset
     *     command-line flags can be passed as they are
     * @return the validated config
     * @throws InputException naming the file (or "command line") for an unknown key, a wrong type or
     *     a rejected value
     */
    public static AutoencoderTrainConfig resolve(AutoencoderTrainConfig base, Path yaml, Map<String, Object> overrides) {
        return resolve(base, GivenKeys.file(yaml).flags(overrides));
    }

    /**
     * Builds a config: {@code base}, then the keys a user gave ({@link GivenKeys#resolve}). A warm-up
     * that leaves no step for the cosine decay is shortened to a tenth of the run, with one line that
     * says so, unless both {@code warmup} and {@code steps} were given as flags.
     */
    public static AutoencoderTrainConfig resolve(AutoencoderTrainConfig base, GivenKeys given) {
        return renamedKeys(given).resolve(base, AutoencoderTrainConfig.class, tree -> tree);
    }

    /**
     * Builds a config from {@code base} and a section of a larger YAML file (e.g. the
     * {@code autoencoder:} section of a run config), with the same keys as a train-ae config file.
     *
     * @param source the file the section came from, named in errors
     * @param at the section's dotted key path in that file ({@code "autoencoder"}), so that errors
     *     name a key the way the file spells it ({@code autoencoder.model.ch_mult})
     */
    public static AutoencoderTrainConfig resolve(AutoencoderTrainConfig base, JsonNode section, Path source,
            String at) {
        return resolve(base, GivenKeys.section(source, section, at));
    }

    /**
     * The config that continues the run saved with {@code saved}: {@code given}'s keys must match it
     * and only {@code steps} may change ({@link GivenKeys#resume}).
     *
     * @param defaults the base a fresh run would have resolved {@code given} over
     * @param checkpoint the checkpoint directory, named in errors
     */
    public static AutoencoderTrainConfig resume(AutoencoderTrainConfig saved, AutoencoderTrainConfig defaults,
            GivenKeys given, Path checkpoint) {
        return renamedKeys(given).resume(saved, g -> resolve(defaults, g), checkpoint);
    }

    /**
     * Reads the config stored in a checkpoint's sidecar. Sidecars written before the keys became
     * snake_case spell them in camelCase ({@code batchSize}, {@code model.chMult}); those keys are
     * renamed on the way in, so older checkpoints still load and resume. YAML files get no such
     * leniency: there a camelCase key is an error that names the snake_case spelling. {@code clip},
     * the old name of {@code grad_clip}, is renamed too.
     *
     * @param config the sidecar's {@code config} object
     * @param sidecar the sidecar file, named in errors
     */
    public static AutoencoderTrainConfig fromSidecar(JsonNode config, Path sidecar) {
        JsonNode keys = snakeCaseKeys(config);
        if (keys instanceof ObjectNode o && o.has(OLD_GRAD_CLIP) && !o.has(GRAD_CLIP)) {
            o.set(GRAD_CLIP, o.remove(OLD_GRAD_CLIP));
        }
        return Json.convert(keys, AutoencoderTrainConfig.class, sidecar, "config");
    }

    private static final PropertyNamingStrategies.SnakeCaseStrategy SNAKE_CASE =
            new PropertyNamingStrategies.SnakeCaseStrategy();

    /** A copy of {@code node} whose object keys (at any depth) are snake_case; values are left as they are. */
    private static JsonNode snakeCaseKeys(JsonNode node) {
        if (!node.isObject()) {
            return node;
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            out.set(SNAKE_CASE.translate(e.getKey()), snakeCaseKeys(e.getValue()));
        }
        return out;
    }


    private static final String GRAD_CLIP = "grad_clip";
    /** The autoencoder's name for {@code grad_clip} until both stages spelled it the same way. */
    private static final String OLD_GRAD_CLIP = "clip";

    /** {@code given} with {@code clip} read as {@code grad_clip}, with one line that says so. */
    private static GivenKeys renamedKeys(GivenKeys given) {
        return given.renamed(OLD_GRAD_CLIP, GRAD_CLIP);
    }

    /** Jackson value filter: true for the default σ, which is then left out of the JSON. */
    static final class DefaultSigma {
        @Override
        public boolean equals(Object value) {
            return value == null || value.equals(DEFAULT_SIGMA);
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }
}
