package ldm4j.pipeline.stage;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import ldm4j.autoencoder.train.AutoencoderCheckpoint;
import ldm4j.autoencoder.train.AutoencoderTrainConfig;
import ldm4j.autoencoder.train.AutoencoderTrainer;
import ldm4j.autoencoder.train.Reconstructions;
import ldm4j.core.data.Dataset;
import ldm4j.core.io.Checkpoints;
import ldm4j.core.train.GivenKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 1: trains a KL autoencoder into a folder ({@code checkpoint/}, train-log.csv, metrics.json,
 * reconstructions.png, config.yaml). The run's compressor and every baseline VAE go through here.
 */
public final class AutoencoderStage {
    private static final Logger LOG = LoggerFactory.getLogger(AutoencoderStage.class);

    private AutoencoderStage() {}

    /**
     * What one autoencoder is trained from.
     *
     * @param config the resolved training config (its {@code in_channels} the data's)
     * @param data the opened dataset: its train split is trained on, its test split evaluated
     * @param dataSpec the dataset's name or spec, as recorded in the checkpoint
     * @param out the folder to write
     */
    public record Input(AutoencoderTrainConfig config, Dataset data, String dataSpec, Path out) {
        /** The checkpoint folder this input trains into. */
        public Path checkpoint() {
            return out.resolve(AutoencoderTrainer.CHECKPOINT_DIR);
        }
    }

    /**
     * A trained autoencoder.
     *
     * @param checkpoint its checkpoint folder
     * @param result what the training reported, or null when the checkpoint had already taken its steps
     *     and nothing was trained
     */
    public record Output(Path checkpoint, AutoencoderTrainer.Result result) {}

    /**
     * Trains {@code in} from scratch, or continues {@code resume}.
     *
     * @param resume a checkpoint folder to continue (its config is {@code in.config()} but for steps), or
     *     null for a fresh run
     */
    public static Output train(Input in, Path resume, Device device) throws IOException {
        AutoencoderTrainer.Result r = AutoencoderTrainer.run(in.config(), in.data(), in.dataSpec(), in.out(), resume,
                device);
        return new Output(in.checkpoint(), r);
    }

    /**
     * Trains {@code in} to its step count, continuing from a checkpoint it left in {@code in.out()}
     * (an interrupted run), or doing nothing when that checkpoint is already at the end.
     */
    public static Output trainOrContinue(Input in, Device device) throws IOException {
        Path checkpoint = in.checkpoint();
        if (Files.isRegularFile(checkpoint.resolve(Checkpoints.SIDECAR))) {
            long done = Checkpoints.readInfo(checkpoint, AutoencoderCheckpoint.KIND).step();
            if (done >= in.config().steps()) {
                return new Output(checkpoint, null); // trained to the end; only the stage record was missing
            }
            LOG.info("resuming the autoencoder from its checkpoint at step {}", done);
            return train(in, checkpoint, device);
        }
        return train(in, null, device);
    }

    /**
     * A seeded draw of {@code n} test images ({@link ldm4j.autoencoder.train.AutoencoderEvaluator#subset}) and a trained autoencoder's reconstructions of them (posterior
     * means, decoded, as uint8), for rFD; the weights are freed before it returns.
     */
    public static Reconstructions.Scored reconstructTest(Path checkpoint, Dataset data, int n, Device device) {
        try (NDManager root = NDManager.newBaseManager(device)) {
            AutoencoderCheckpoint ae = AutoencoderCheckpoint.load(checkpoint, root);
            return Reconstructions.score(ae.model(), data.test(), n, RECONSTRUCTION_BATCH, root);
        }
    }

    /** Images per forward pass of {@link #reconstructTest}. */
    private static final int RECONSTRUCTION_BATCH = 100;

    /**
     * The config of a train-ae run: the defaults for the data's channels and the keys the user gave,
     * or, when resuming, the checkpoint's config with only {@code steps} taken from the user
     * ({@link AutoencoderTrainConfig#resume}).
     *
     * @param channels the dataset's channels
     * @param given the config file's keys and the flags
     * @param resume the checkpoint to continue, or null
     */
    public static AutoencoderTrainConfig config(int channels, GivenKeys given, Path resume) {
        AutoencoderTrainConfig defaults = AutoencoderTrainConfig.defaults(channels);
        return resume != null
                ? AutoencoderTrainConfig.resume(AutoencoderCheckpoint.readConfig(resume), defaults, given, resume)
                : AutoencoderTrainConfig.resolve(defaults, given);
    }

    /**
     * {@code ldm4j train-ae}: checks a checkpoint to resume before anything else (a damaged one is
     * reported as such, before any flag is compared with it), opens the data, resolves the config and
     * trains.
     *
     * @param dataSpec the dataset's name or spec
     * @param given the keys of the config file and the flags
     * @param out the folder to write
     * @param resume a checkpoint folder to continue, or null
     */
    public static Output trainCommand(String dataSpec, GivenKeys given, Path out, Path resume, Device device)
            throws IOException {
        if (resume != null) {
            AutoencoderCheckpoint.requireIntact(resume);
        }
        Dataset data = DataStage.open(dataSpec);
        AutoencoderTrainConfig config = config(data.info().channels(), given, resume);
        return train(new Input(config, data, dataSpec, out), resume, device);
    }
}
