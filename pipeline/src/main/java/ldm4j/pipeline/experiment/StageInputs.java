package ldm4j.pipeline.experiment;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import ldm4j.autoencoder.train.AutoencoderTrainConfig;
import ldm4j.core.data.DatasetInfo;
import ldm4j.core.io.Json;
import ldm4j.core.train.LrSchedule;
import ldm4j.diffusion.train.DataSpace;
import ldm4j.diffusion.train.DiffusionTrainConfig;

/**
 * A run config resolved once into what each stage consumes: the training configs the stages run
 * with, and the same values as JSON for the stages' fingerprints, so what is hashed is what runs.
 *
 * @param autoencoder the stage-1 training config
 * @param diffusion the stage-2 training config (not yet fitted to the latents' channels and classes;
 *     the encode stage's fingerprint stands for those)
 * @param baselineAutoencoder the baseline VAE's training config, or null when the baseline is off
 * @param byStage each enabled stage's input, in run order ({@link Stage#SUMMARY} excluded)
 */
record StageInputs(AutoencoderTrainConfig autoencoder, DiffusionTrainConfig diffusion,
        AutoencoderTrainConfig baselineAutoencoder, Map<Stage, StageInput> byStage) {

    /**
     * Fits {@code config}'s resolved sections to the opened dataset.
     *
     * @param data the dataset the run trains on (its channels and cache hash)
     */
    static StageInputs resolve(RunConfig config, DatasetInfo data) {
        AutoencoderTrainConfig ae = config.autoencoder().forData(data.channels());
        DiffusionTrainConfig diffusion = config.diffusion();
        AutoencoderTrainConfig baseline = config.baseline().enabled()
                ? config.baseline().autoencoder().forData(data.channels()) : null;

        Map<Stage, StageInput> in = new EnumMap<>(Stage.class);
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("data", config.data());
        d.put("cache_hash", data.cacheHash());
        in.put(Stage.DATA, StageInput.of(d));
        if (config.space() == DataSpace.LATENT) { // f = 1 trains the UNet on pixels: no autoencoder
            in.put(Stage.AUTOENCODER, new StageInput(FingerprintSpelling.autoencoder(ae), JsonPointer.empty(),
                    stepIndependent(ae)));
            ObjectNode encode = Json.MAPPER.valueToTree(config.encode());
            encode.put("seed", config.seed());
            in.put(Stage.ENCODE, StageInput.of(encode));
        }
        ObjectNode unet = Json.MAPPER.valueToTree(diffusion);
        if (config.progressPoints() > 0) {
            // The points are drawn during training, with the sample settings and the feature network:
            // a change to any of them redoes the training, and more steps would move the points.
            ObjectNode progress = unet.putObject("progress");
            progress.put("points", config.progressPoints());
            progress.set("sample", Json.MAPPER.valueToTree(config.sample()));
            progress.put("seed", config.seed());
            progress.put("classifier_steps", config.eval().classifierSteps());
        }
        // The UNet's learning rate is constant after warm-up: more steps continue a run exactly.
        in.put(Stage.DIFFUSION, new StageInput(unet, JsonPointer.empty(),
                diffusion.decay() == LrSchedule.Decay.CONSTANT && config.progressPoints() == 0));
        ObjectNode sample = Json.MAPPER.valueToTree(config.sample());
        sample.put("seed", config.seed());
        in.put(Stage.SAMPLE, StageInput.of(sample));
        if (baseline != null) {
            ObjectNode b = Json.MAPPER.createObjectNode();
            b.set("autoencoder", FingerprintSpelling.autoencoder(baseline));
            // Of the sample settings, the baseline's prior sampling reads only these.
            ObjectNode prior = b.putObject("sample");
            prior.put("count", config.sample().count());
            prior.put("batch_size", config.sample().batchSize());
            prior.put("grid_count", config.sample().gridCount());
            prior.put("seed", config.seed());
            in.put(Stage.BASELINE, new StageInput(b, JsonPointer.compile("/autoencoder"), stepIndependent(baseline)));
        }
        if (config.eval().enabled()) {
            in.put(Stage.EVAL, StageInput.of(Json.MAPPER.valueToTree(config.eval())));
        }
        return new StageInputs(ae, diffusion, baseline, Collections.unmodifiableMap(in));
    }

    /** A cosine decay spans the step count, so a run continued to more steps would differ from a fresh one. */
    private static boolean stepIndependent(AutoencoderTrainConfig c) {
        return c.schedule().decay() == LrSchedule.Decay.CONSTANT;
    }
}
