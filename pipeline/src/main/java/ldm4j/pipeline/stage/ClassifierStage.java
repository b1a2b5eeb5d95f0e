package ldm4j.pipeline.stage;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Path;
import ldm4j.core.data.Dataset;
import ldm4j.pipeline.eval.ClassifierConfig;
import ldm4j.pipeline.eval.ClassifierSummary;
import ldm4j.pipeline.eval.ClassifierTrainer;
import ldm4j.pipeline.eval.ClassifierTrainingConfig;
import ldm4j.pipeline.eval.FeatureNetworks;

/**
 * The feature network the evaluation scores in: ldm4j's own small CNN classifier, trained on the
 * dataset, into a folder or into the cache that {@link EvalStage.Cached} reads.
 */
public final class ClassifierStage {
    private ClassifierStage() {}

    /**
     * A trained (or reused) network.
     *
     * @param summary where it is, how well it classifies, how long it trained
     * @param reused true when the cache already held it and nothing was trained
     */
    public record Output(ClassifierSummary summary, boolean reused) {}

    /**
     * Trains the network for {@code data} with {@code training}.
     *
     * @param out the folder to write, or null for the cache (reused when it already holds this network)
     */
    public static Output run(Dataset data, ClassifierTrainingConfig training, Path out, Device device)
            throws IOException {
        ClassifierConfig model = ClassifierConfig.forData(data.info());
        if (out != null) {
            return new Output(ClassifierTrainer.train(data, model, training, device, out), false);
        }
        FeatureNetworks cache = FeatureNetworks.atDefaultLocation();
        boolean cached = cache.isCached(data, model, training);
        return new Output(cache.ensure(data, model, training, device), cached);
    }
}
