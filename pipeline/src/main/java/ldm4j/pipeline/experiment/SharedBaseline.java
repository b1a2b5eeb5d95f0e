package ldm4j.pipeline.experiment;

import ai.djl.Device;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import ldm4j.autoencoder.train.AutoencoderTrainConfig;
import ldm4j.core.data.Dataset;
import ldm4j.core.io.Json;
import ldm4j.core.train.GivenKeys;
import ldm4j.core.train.LrSchedule;
import ldm4j.pipeline.RunLayout;
import ldm4j.pipeline.stage.AutoencoderStage;
import ldm4j.pipeline.stage.BaselineStage;
import ldm4j.pipeline.stage.EvalStage;

/**
 * The pixel-space VAE an ablation is measured against, trained once for all its sub-runs rather
 * than once in each (it is the same model in every one): {@code <ablation>/baseline/} is a run
 * directory with only the baseline and eval stages, so {@link RunDriver} skips it when its
 * fingerprints are unchanged and resumes it when it was killed.
 *
 * <pre>
 * runs/beta-ablation/baseline/
 *   baseline/autoencoder/   the VAE (checkpoint, train-log.csv, metrics.json, reconstructions.png)
 *   baseline/samples/       its N(0, I) prior, decoded
 *   eval/metrics.json       their scores (key vae_prior) and the VAE's rFD
 *   run-state.json, summary.json, report/
 * </pre>
 *
 * <p>Its prior is sampled with the sub-runs' sample count, batch size and seed and scored by their
 * feature network, so its FD sits on the same scale as theirs.
 */
public final class SharedBaseline {
    /** The baseline's run directory under the ablation's. */
    public static final String DIR = "baseline";

    private SharedBaseline() {}

    /**
     * The baseline's training config: an autoencoder config file ({@code train-ae --config} keys) on
     * the trainer's defaults, fitted to the data's channels.
     *
     * @throws ldm4j.core.InputException naming the file and the key on a bad one
     */
    static AutoencoderTrainConfig config(Path file, int channels) {
        AutoencoderTrainConfig c = AutoencoderTrainConfig.resolve(AutoencoderTrainConfig.defaults(1), GivenKeys.file(file));
        return new AutoencoderSection(c, Json.readYamlTree(file)).forData(channels);
    }

    /**
     * Trains the baseline (or finds it trained), samples its prior and scores it.
     *
     * @param file its autoencoder config
     * @param shared a sub-run's run config: the data, sample and eval settings every sub-run shares
     * @param data the ablation's dataset, open
     * @param dir the baseline's run directory
     */
    static RunSummary run(Path file, RunConfig shared, RunDriver.DataOpener data, Path dir, boolean force,
            Device device) throws IOException {
        RunLayout layout = new RunLayout(dir);
        String name = file.getFileName().toString().replaceFirst("\\.ya?ml$", ""); // the VAE's, not a sub-run's
        return RunDriver.run(new RunDriver.Run(name, shared.data(), layout), force, data,
                d -> plans(file, shared, d, layout, device));
    }

    /** Its two stages: the baseline (train, then sample the prior) and the eval. */
    static List<StagePlan> plans(Path file, RunConfig shared, Dataset data, RunLayout layout, Device device) {
        AutoencoderTrainConfig ae = config(file, data.info().channels());
        SampleSettings s = shared.sample();
        // The same fingerprint a run's own baseline stage has (StageInputs).
        ObjectNode b = Json.MAPPER.createObjectNode();
        b.set("autoencoder", FingerprintSpelling.autoencoder(ae));
        ObjectNode prior = b.putObject("sample");
        prior.put("count", s.count());
        prior.put("batch_size", s.batchSize());
        prior.put("grid_count", s.gridCount());
        prior.put("seed", shared.seed());
        StageInput input = new StageInput(b, JsonPointer.compile("/autoencoder"),
                ae.schedule().decay() == LrSchedule.Decay.CONSTANT);
        BaselineStage.Input baseline = new BaselineStage.Input(EndToEndRun.VAE_PRIOR, new AutoencoderStage.Input(ae,
                data, shared.data(), layout.baselineAutoencoder()), layout.baselineSamples(), s.count(), s.batchSize(),
                shared.seed(), s.gridCount());
        List<StagePlan> plans = new ArrayList<>();
        plans.add(new StagePlan(Stage.BASELINE, input, List.of(layout.baseline()), List.of(layout.baselineSamples()),
                () -> BaselineStage.run(baseline, device)));
        if (shared.eval().enabled()) {
            EvalStage.Features features = new EvalStage.Cached(shared.eval().classifierSteps());
            plans.add(StagePlan.of(Stage.EVAL, StageInput.of(Json.MAPPER.valueToTree(shared.eval())), layout.eval(),
                    () -> EndToEndRun.evaluate(data, features,
                            List.of(new EndToEndRun.Scored(EndToEndRun.VAE_PRIOR, layout.baselineSamples())), null,
                            s.gridCount(), Map.of("baseline", layout.baselineAutoencoderCheckpoint()), layout.eval(),
                            device)));
        }
        return plans;
    }
}
