package ldm4j.pipeline.stage;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import ldm4j.autoencoder.train.AutoencoderCheckpoint;
import ldm4j.core.InputException;
import ldm4j.core.data.Dataset;
import ldm4j.core.data.LatentSet;
import ldm4j.core.io.Checkpoints;
import ldm4j.core.train.GivenKeys;
import ldm4j.diffusion.train.DataSpace;
import ldm4j.diffusion.train.DiffusionCheckpoint;
import ldm4j.diffusion.train.DiffusionData;
import ldm4j.diffusion.train.DiffusionTrainConfig;
import ldm4j.diffusion.train.DiffusionTrainer;
import ldm4j.pipeline.AutoencoderLatentDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 2: trains the diffusion UNet into a run folder ({@code checkpoint/} with EMA,
 * train-log.csv, sample grids), on an autoencoder's latents or, with no autoencoder, on pixels
 * (f = 1).
 */
public final class DiffusionStage {
    private static final Logger LOG = LoggerFactory.getLogger(DiffusionStage.class);

    private DiffusionStage() {}

    /** Where x_0 comes from. */
    public sealed interface Source permits Latents, Pixels {
        /** The training set, read into memory. */
        DiffusionData open() throws IOException;
    }

    /** A latent folder written by the encode stage. */
    public record Latents(Path dir) implements Source {
        @Override
        public DiffusionData open() {
            return DiffusionData.latents(LatentSet.read(dir), dir.toString());
        }
    }

    /**
     * A dataset's train split in [-1, 1]: pixel-space diffusion.
     *
     * @param spec the dataset's name or spec
     * @param data the dataset when it is already open (a run's), or null to open {@code spec}
     */
    public record Pixels(String spec, Dataset data) implements Source {
        @Override
        public DiffusionData open() throws IOException {
            return DiffusionData.pixels((data != null ? data : DataStage.open(spec)).train());
        }
    }

    /**
     * One UNet's training.
     *
     * @param config the training config (fitted to the data's channels and classes by the trainer)
     * @param source the training set
     * @param out the run folder to write
     * @param decoder the checkpoint of the autoencoder whose decoder turns the training grids' latents
     *     into images, or null for pixels
     */
    public record Input(DiffusionTrainConfig config, Source source, Path out, Path decoder) {}

    /**
     * A trained UNet.
     *
     * @param runDir its run folder ({@code checkpoint/} inside)
     * @param steps the steps it has taken in all
     * @param result the last logged values ({@code loss}, …), or null when the checkpoint had already
     *     taken its steps and nothing was trained
     */
    public record Output(Path runDir, long steps, Map<String, Double> result) {
        /** The checkpoint folder. */
        public Path checkpoint() {
            return runDir.resolve(DiffusionCheckpoint.DIR);
        }
    }

    /**
     * Trains {@code in} to its step count, continuing from a checkpoint it left in {@code in.out()}
     * (an interrupted run, or one whose steps were raised), or doing nothing when that checkpoint is
     * already at the end.
     */
    public static Output trainOrContinue(Input in, Device device) throws IOException {
        return trainOrContinue(in, device, List.of(), null);
    }

    /**
     * {@link #trainOrContinue(Input, Device)}, calling {@code milestone} when the training reaches
     * each of {@code steps} ({@link DiffusionTrainer#atSteps}); steps the checkpoint had already
     * taken are not revisited, but for the checkpoint's own step, which is reached again before the
     * training resumes (the milestone may not have finished there).
     */
    public static Output trainOrContinue(Input in, Device device, List<Long> steps, DiffusionTrainer.Milestone milestone)
            throws IOException {
        DiffusionTrainConfig cfg = in.config();
        DiffusionData data = in.source().open();
        Path ckpt = in.out().resolve(DiffusionCheckpoint.DIR);
        try (NDManager root = NDManager.newBaseManager(device)) {
            // The decoder is loaded before the UNet is built, as it always was: its initialisation
            // draws from the engine's generator.
            AutoencoderLatentDecoder decoder = in.decoder() == null ? null
                    : new AutoencoderLatentDecoder(AutoencoderCheckpoint.load(in.decoder(), root).model());
            DiffusionTrainer trainer;
            if (Files.isRegularFile(ckpt.resolve(Checkpoints.SIDECAR))) {
                long done = DiffusionCheckpoint.read(ckpt).step();
                if (done >= cfg.steps()) {
                    return new Output(in.out(), done, null);
                }
                LOG.info("resuming the diffusion model from its checkpoint at step {}", done);
                if (milestone != null && steps.contains(done)) {
                    // the checkpoint of a milestone step is written before its milestone runs: a run
                    // stopped in between (killed, or the milestone failed) reaches it again here
                    milestone.reached(done);
                }
                trainer = DiffusionTrainer.resume(ckpt, data, in.out(), root, cfg.steps());
            } else {
                trainer = DiffusionTrainer.start(cfg, data, in.out(), root);
            }
            if (milestone != null && !steps.isEmpty()) {
                trainer.atSteps(steps, milestone);
            }
            return train(trainer, in.out(), decoder);
        }
    }

    /**
     * What {@code ldm4j train-ldm} was asked, checked: a fresh run (a source and a folder) or a
     * checkpoint to continue, which is read (and refused when damaged) before anything else.
     *
     * @param source the training set; with {@code resume}, null means the data the checkpoint names
     * @param out the run folder; with {@code resume}, null means the checkpoint's own run folder
     * @param resume a run or checkpoint folder to continue, or null
     */
    public record Request(Source source, Path out, DiffusionCheckpoint resume) {
        /**
         * Checks the combination and reads the checkpoint to resume.
         *
         * @throws InputException naming what to give, or a damaged checkpoint
         */
        public static Request of(Source source, Path out, Path resume) {
            if (resume == null && source == null) {
                throw new InputException("give --latents DIR or --data NAME|SPEC (or --resume DIR)");
            }
            if (resume == null && out == null) {
                throw new InputException("give --out DIR, the run directory to write");
            }
            // A damaged checkpoint is reported as such, before any flag is compared with it.
            return new Request(source, out, resume == null ? null : DiffusionCheckpoint.readIntact(resume));
        }

        /** The data to train on: the source given, else the one the resumed checkpoint was trained on. */
        Source data() {
            if (source != null) {
                return source;
            }
            String recorded = resume.state().source();
            return resume.state().space() == DataSpace.LATENT ? new Latents(Path.of(recorded))
                    : new Pixels(recorded, null);
        }

        /** The run folder to write: the one given, else the resumed checkpoint's run folder. */
        Path runDir() {
            if (out != null) {
                return out;
            }
            Path dir = resume.dir();
            Path parent = dir.toAbsolutePath().getParent();
            return dir.getFileName().toString().equals(DiffusionCheckpoint.DIR) && parent != null ? parent : dir;
        }
    }

    /**
     * {@code ldm4j train-ldm}: a fresh run from the defaults and {@code given}, or the resumed
     * checkpoint continued with {@code given} checked against its config (only steps may change).
     */
    public static Output train(Request request, GivenKeys given, Device device) throws IOException {
        try (NDManager root = NDManager.newBaseManager(device)) {
            DiffusionTrainer trainer;
            Path runDir = request.runDir();
            if (request.resume() != null) {
                trainer = DiffusionTrainer.resume(request.resume().dir(), request.data().open(), runDir, root, given);
            } else {
                DiffusionTrainConfig cfg = DiffusionTrainConfig.load(given);
                trainer = DiffusionTrainer.start(cfg, request.data().open(), runDir, root);
            }
            return train(trainer, runDir, null);
        }
    }

    private static Output train(DiffusionTrainer trainer, Path runDir, AutoencoderLatentDecoder decoder)
            throws IOException {
        if (decoder != null) {
            trainer.withDecoder(decoder);
        }
        Map<String, Double> result = trainer.run();
        return new Output(runDir, trainer.config().steps(), result);
    }
}
