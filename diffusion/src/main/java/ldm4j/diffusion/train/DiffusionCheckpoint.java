package ldm4j.diffusion.train;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import ldm4j.core.InputException;
import ldm4j.core.io.Checkpoint;
import ldm4j.core.io.Checkpoints;
import ldm4j.core.io.InputFiles;
import ldm4j.diffusion.unet.UNet;

/**
 * A stage-2 checkpoint on disk, as {@link DiffusionTrainer} writes it:
 *
 * <pre>
 * run/                     what --out named
 *   checkpoint/            checkpoint.json (kind "unet"), model, ema, optimizer .safetensors
 *   train-log.csv
 *   samples-step*.png
 * </pre>
 *
 * @param dir the checkpoint directory (the one holding checkpoint.json)
 * @param info the sidecar
 * @param config the resolved training config (model config included)
 * @param state space, data shape, data order
 */
public record DiffusionCheckpoint(Path dir, Checkpoint info, DiffusionTrainConfig config, DiffusionTrainState state) {
    /** The sidecar's kind. */
    public static final String KIND = "unet";
    /** The checkpoint's folder inside a run directory. */
    public static final String DIR = "checkpoint";

    /**
     * Reads the checkpoint of a run directory or a checkpoint directory.
     *
     * @throws InputException naming the path when it holds no stage-2 checkpoint
     */
    public static DiffusionCheckpoint read(Path runOrCheckpoint) {
        Path dir = locate(runOrCheckpoint);
        Checkpoint info = Checkpoints.readInfo(dir, KIND);
        Path sidecar = dir.resolve(Checkpoints.SIDECAR);
        DiffusionTrainConfig config = info.config(DiffusionTrainConfig.class, sidecar);
        if (info.state() == null) {
            throw InputException.inFile(sidecar, "no training state; was it written by train-ldm?");
        }
        DiffusionTrainState state = ldm4j.core.io.Json.convert(info.state(), DiffusionTrainState.class, sidecar);
        return new DiffusionCheckpoint(dir, info, config, state);
    }

    /**
     * {@link #read}, after checking that every file of the checkpoint reads back whole
     * ({@link Checkpoints#requireIntact}): what a resumed run needs.
     *
     * @throws InputException naming the file and what is wrong with it
     */
    public static DiffusionCheckpoint readIntact(Path runOrCheckpoint) {
        Path dir = locate(runOrCheckpoint);
        Checkpoints.requireIntact(dir, KIND, Checkpoints.MODEL, Checkpoints.EMA, Checkpoints.OPTIMIZER);
        return read(dir);
    }

    /** {@code path} if it holds checkpoint.json, else {@code path/checkpoint} if that does. */
    public static Path locate(Path runOrCheckpoint) {
        if (Files.isRegularFile(runOrCheckpoint.resolve(Checkpoints.SIDECAR))) {
            return runOrCheckpoint;
        }
        Path inner = runOrCheckpoint.resolve(DIR);
        if (Files.isRegularFile(inner.resolve(Checkpoints.SIDECAR))) {
            return inner;
        }
        String expected = "a train-ldm run or checkpoint directory";
        InputFiles.requireDirectory(runOrCheckpoint, expected);
        throw InputFiles.fault(runOrCheckpoint, "has no " + Checkpoints.SIDECAR + " in it or in " + DIR + "/", expected);
    }

    /** Optimizer steps taken. */
    public long step() {
        return info.step();
    }

    /** True for a latent-space model, whose samples need the autoencoder's decoder. */
    public boolean latent() {
        return state.space() == DataSpace.LATENT;
    }

    /**
     * A UNet with the EMA weights (what sampling uses; Ho et al. 2020, §4), initialised on {@code root}.
     */
    public UNet loadEmaUNet(NDManager root) {
        UNet unet = new UNet(config.model());
        unet.initialize(root);
        Checkpoints.loadInto(dir, Checkpoints.hasTensors(dir, Checkpoints.EMA) ? Checkpoints.EMA : Checkpoints.MODEL,
                unet);
        return unet;
    }
}
