package ldm4j.diffusion.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.function.LongConsumer;
import ldm4j.core.InputException;
import ldm4j.diffusion.objective.Prediction;
import ldm4j.diffusion.sampler.SamplerConfig;
import ldm4j.diffusion.schedule.NoiseSchedule;
import ldm4j.diffusion.unet.UNet;
import ldm4j.diffusion.unet.UNetConfig;
import ldm4j.diffusion.unet.UNetDenoiser;

/**
 * Draws N samples from a UNet in batches: x_T ~ N(0, I) → sampler → x_0, each batch in its own
 * NDManager scope, the results gathered on the heap. The UNet should hold its EMA weights.
 */
public final class Generator {
    private Generator() {}

    /**
     * @param unet the denoiser (EMA weights loaded)
     * @param prediction what it outputs
     * @param schedule the schedule it was trained with
     * @param sampleShape {C, H, W} of one sample
     * @param cfg how many, how, and with which labels
     * @param root a long-lived manager; every batch runs in a sub-manager of it
     * @param onSampleStep called with the total number of sampler steps done so far, over all batches
     * @return the samples, N·C·H·W floats (model space: [-1, 1] pixels or scaled latents)
     */
    public static float[] generate(UNet unet, Prediction prediction, NoiseSchedule schedule, long[] sampleShape,
            GenerateConfig cfg, NDManager root, LongConsumer onSampleStep) {
        UNetConfig model = unet.config();
        if (cfg.classLabel() != null && model.classConditional() && cfg.classLabel() >= model.numClasses()) {
            throw new InputException("class " + cfg.classLabel() + " is out of range: the model has "
                    + model.numClasses() + " classes (0.." + (model.numClasses() - 1) + ")");
        }
        int elements = Math.toIntExact(sampleShape[0] * sampleShape[1] * sampleShape[2]);
        float[] out = new float[Math.multiplyExact(cfg.count(), elements)];
        UNetDenoiser denoiser = new UNetDenoiser(unet, root);
        int[] labels = labels(model, cfg);
        long stepsDone = 0;
        for (int start = 0, b = 0; start < cfg.count(); start += cfg.batchSize(), b++) {
            int n = Math.min(cfg.batchSize(), cfg.count() - start);
            SamplerConfig sc = new SamplerConfig(cfg.steps(), cfg.eta(), cfg.spacing(), 1.0, null, 0, cfg.seed() + b);
            if (model.classConditional()) {
                sc = sc.withGuidance(Arrays.copyOfRange(labels, start, start + n), model.nullClass(), cfg.guidance());
            }
            Shape shape = new Shape(n, sampleShape[0], sampleShape[1], sampleShape[2]);
            long before = stepsDone;
            try (NDManager scope = root.newSubManager()) {
                NDArray x = cfg.sampler().sample(denoiser, prediction, schedule, shape, sc, scope,
                        done -> onSampleStep.accept(before + done));
                System.arraycopy(x.toFloatArray(), 0, out, start * elements, n * elements);
            }
            stepsDone += cfg.steps();
        }
        return out;
    }

    /**
     * The class each of the {@code cfg.count()} samples is drawn with: {@code cfg.classLabel()} for
     * all, else 0, 1, … cycling over the samples; null for an unconditional model.
     */
    public static int[] labels(UNetConfig model, GenerateConfig cfg) {
        if (!model.classConditional()) {
            return null;
        }
        int[] labels = new int[cfg.count()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = cfg.classLabel() != null ? cfg.classLabel() : i % model.numClasses();
        }
        return labels;
    }
}
