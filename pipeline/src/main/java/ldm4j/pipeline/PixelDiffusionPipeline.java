package ldm4j.pipeline;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.function.LongConsumer;
import ldm4j.core.InputException;
import ldm4j.core.data.UInt8Images;
import ldm4j.core.io.ImageIo;
import ldm4j.diffusion.generate.GenerateConfig;
import ldm4j.diffusion.generate.Generator;
import ldm4j.diffusion.objective.Prediction;
import ldm4j.diffusion.schedule.NoiseSchedule;
import ldm4j.diffusion.train.DiffusionCheckpoint;
import ldm4j.diffusion.unet.UNet;

/**
 * Diffusion in pixel space (f = 1, the baseline latent diffusion is measured against), in two
 * stages:
 *
 * <ol>
 *   <li>sample x_0 with the UNet (EMA weights) and the chosen sampler, from x_T ~ N(0, I);
 *   <li>convert [-1, 1] to uint8.
 * </ol>
 *
 * <p>Close it to free the weights.
 */
public final class PixelDiffusionPipeline implements DiffusionPipeline {
    private final NDManager root;
    private final UNet unet;
    private final Prediction prediction;
    private final NoiseSchedule schedule;
    private final long[] imageShape;

    private PixelDiffusionPipeline(NDManager root, UNet unet, Prediction prediction, NoiseSchedule schedule,
            long[] imageShape) {
        this.root = root;
        this.unet = unet;
        this.prediction = prediction;
        this.schedule = schedule;
        this.imageShape = imageShape.clone();
    }

    /**
     * Loads a pixel-space diffusion model.
     *
     * @param diffusionDir a train-ldm run or checkpoint directory of a model trained on pixels
     * @throws InputException for a missing or corrupt checkpoint, or a latent-space model (which needs
     *     its autoencoder: {@link LatentDiffusionPipeline})
     */
    public static PixelDiffusionPipeline load(Path diffusionDir, Device device) {
        DiffusionCheckpoint ckpt = DiffusionCheckpoint.read(diffusionDir);
        if (ckpt.latent()) {
            throw new InputException(ckpt.dir() + " is a latent-space model: decoding its samples needs the "
                    + "autoencoder; give --ae DIR as well (or --run DIR for an end-to-end run)");
        }
        NDManager root = NDManager.newBaseManager(device);
        try {
            return new PixelDiffusionPipeline(root, ckpt.loadEmaUNet(root), ckpt.config().predictionType(),
                    ckpt.config().noiseSchedule(), ckpt.state().shape());
        } catch (RuntimeException e) {
            root.close();
            throw e;
        }
    }

    /**
     * Draws {@code cfg.count()} images.
     *
     * @return N images of the model's shape; labels are the requested classes, or none when the
     *     model is unconditional
     */
    @Override
    public UInt8Images generate(GenerateConfig cfg, LongConsumer onSamples) {
        // 1. x_0 from noise, batch b seeded with seed + b
        float[] samples = Generator.generate(unet, prediction, schedule, imageShape, cfg, root,
                steps -> onSamples.accept(DiffusionPipeline.samplesDrawn(steps, cfg)));
        // 2. [-1, 1] to uint8
        return new UInt8Images(cfg.count(), (int) imageShape[0], (int) imageShape[1], (int) imageShape[2],
                ImageIo.toUint8(samples), Generator.labels(unet.config(), cfg));
    }

    @Override
    public void close() {
        root.close();
    }
}
