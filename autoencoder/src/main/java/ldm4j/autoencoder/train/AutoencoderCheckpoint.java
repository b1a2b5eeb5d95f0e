package ldm4j.autoencoder.train;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import ldm4j.autoencoder.AutoencoderKL;
import ldm4j.core.InputException;
import ldm4j.core.io.Checkpoint;
import ldm4j.core.io.Checkpoints;
import ldm4j.core.io.Json;
import ldm4j.core.io.WeightsHash;

/**
 * A trained autoencoder loaded from a checkpoint directory for inference (reconstruct, encode,
 * decode in the pipeline).
 *
 * @param model the autoencoder with the checkpoint's weights (the EMA weights when the run kept an
 *     EMA, as LDM samples with them)
 * @param config the training config it was made with
 * @param info the sidecar: step, metrics, scale factor, provenance
 * @param dir the checkpoint directory
 */
public record AutoencoderCheckpoint(AutoencoderKL model, AutoencoderTrainConfig config, Checkpoint info, Path dir) {
    /** The sidecar's {@code kind}. */
    public static final String KIND = "autoencoder";
    /** Tensor file of the discriminator's weights. */
    public static final String DISCRIMINATOR = "discriminator";

    /**
     * Loads {@code dir} onto {@code manager} (a long-lived manager; the model's arrays live there).
     *
     * @throws ldm4j.core.InputException naming the file when the directory, the sidecar or a tensor
     *     file is missing, corrupt or does not fit the model its config describes
     */
    public static AutoencoderCheckpoint load(Path dir, NDManager manager) {
        Checkpoint info = Checkpoints.readInfo(dir, KIND);
        Path sidecar = dir.resolve(Checkpoints.SIDECAR);
        AutoencoderTrainConfig config = AutoencoderTrainConfig.fromSidecar(info.config(), sidecar);
        AutoencoderKL model = new AutoencoderKL(config.model());
        model.initialize(manager);
        String weights = Checkpoints.hasTensors(dir, Checkpoints.EMA) ? Checkpoints.EMA : Checkpoints.MODEL;
        Checkpoints.loadInto(dir, weights, model);
        return new AutoencoderCheckpoint(model, config, info, dir);
    }

    /**
     * The training config stored in {@code dir}'s sidecar, e.g. to resume from it (camelCase keys of
     * sidecars older than the snake_case configs are read too).
     */
    public static AutoencoderTrainConfig readConfig(Path dir) {
        Checkpoint info = Checkpoints.readInfo(dir, KIND);
        return AutoencoderTrainConfig.fromSidecar(info.config(), dir.resolve(Checkpoints.SIDECAR));
    }

    /**
     * Checks that {@code dir} is a checkpoint a run can continue from: a sound sidecar with a config
     * and trainer state, and sound model and optimizer files ({@link Checkpoints#requireIntact}).
     *
     * @throws InputException naming the file and what is wrong with it
     */
    public static void requireIntact(Path dir) {
        Checkpoint info = Checkpoints.requireIntact(dir, KIND, Checkpoints.MODEL, Checkpoints.OPTIMIZER);
        Path sidecar = dir.resolve(Checkpoints.SIDECAR);
        AutoencoderTrainConfig.fromSidecar(info.config(), sidecar);
        if (info.state() == null) {
            throw InputException.inFile(sidecar, "no trainer state: not a checkpoint that can be resumed");
        }
        Json.convert(info.state(), AutoencoderTrainState.class, sidecar, "state");
    }

    /**
     * Refuses an autoencoder whose latent is not a spatial map, for the commands that hand latents to
     * stage 2 ({@code encode}): a dense latent is a vector the UNet cannot take.
     *
     * @throws InputException one line naming the checkpoint and why
     */
    public void requireSpatialLatent() {
        requireSpatialLatent(config.model(), dir);
    }

    /** {@link #requireSpatialLatent()} for a config read from {@code dir} without loading the weights. */
    public static void requireSpatialLatent(ldm4j.autoencoder.AutoencoderConfig model, Path dir) {
        if (!model.spatialLatent()) {
            throw new InputException(dir + " is a dense autoencoder: its latent is a vector of " + model.latentDim()
                    + ", not a spatial map for the UNet, so it cannot be encoded for latent diffusion (sample it"
                    + " with `ldm4j sample --vae-prior`)");
        }
    }

    /**
     * The SHA-256 of the weights this checkpoint loads ({@link WeightsHash}; the EMA weights when the
     * run kept an EMA): what latents and UNets record to name the autoencoder that encoded them.
     * Computed from the tensors, so it does not depend on where the checkpoint lies.
     */
    public String weightsSha256() {
        return WeightsHash.sha256(model);
    }

    /**
     * The latent scale factor stored with the checkpoint: the one source of it. Latents copy it into
     * their header beside {@link #weightsSha256()}, and sampling divides by this value.
     *
     * @throws ldm4j.core.InputException when the sidecar has none
     */
    public double scaleFactor() {
        if (info.scaleFactor() == null) {
            throw InputException.inFile(dir.resolve(Checkpoints.SIDECAR), "no scaleFactor recorded");
        }
        return info.scaleFactor();
    }
}
