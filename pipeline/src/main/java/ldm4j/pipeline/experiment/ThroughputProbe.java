package ldm4j.pipeline.experiment;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import ldm4j.core.data.DatasetInfo;
import ldm4j.core.io.AtomicFiles;
import ldm4j.core.io.Json;
import ldm4j.diffusion.train.DataSpace;
import ldm4j.diffusion.train.DiffusionData;
import ldm4j.diffusion.train.DiffusionTrainConfig;
import ldm4j.diffusion.train.DiffusionTrainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a run's {@link UnetBudget} into its UNet's step count, once: a few training steps of that
 * UNet, at its batch size, on random data of its input's shape (the latent's, or the image's for
 * f = 1: a step's cost depends on the shape, not on the values), the first {@code warmup_steps}
 * untimed. The result is written into the run's {@code config.yaml} ({@code unet_budget.measured}
 * and {@code diffusion.steps}); a run whose {@code config.yaml} already holds a measurement for the
 * same config keeps it and is not measured again.
 */
public final class ThroughputProbe {
    private static final Logger LOG = LoggerFactory.getLogger(ThroughputProbe.class);
    /** The run config's key of the budget. */
    static final String KEY = "unet_budget";

    private ThroughputProbe() {}

    /** Measures a UNet's training throughput: images per second. */
    @FunctionalInterface
    public interface Meter {
        double imagesPerSecond(DiffusionTrainConfig config, DataSpace space, long[] shape, int numClasses,
                UnetBudget budget);
    }

    /**
     * Writes {@code tree}, a run config with an unmeasured (or measured) budget, into {@code out}
     * with the budget measured: the measurement already in {@code out} when that file is the same
     * config apart from the measurement and the steps it set, else a new one by {@code meter}.
     *
     * @param tree the run config, as a file holds it; changed in place
     * @param out the run's config.yaml
     * @param data the run's dataset (its shape and classes)
     * @return the config as written
     */
    public static RunConfig write(ObjectNode tree, Path out, DataInfo data, Meter meter) throws IOException {
        JsonNode recorded = recorded(out, tree);
        if (recorded != null) {
            tree.withObjectProperty(KEY).set("measured", recorded);
            tree.withObjectProperty("diffusion").put("steps", recorded.path("steps").asLong());
        }
        Json.writeYaml(out, tree);
        RunConfig config = RunConfig.read(out);
        UnetBudget budget = config.unetBudget();
        if (budget == null) {
            return config;
        }
        if (recorded != null) {
            LOG.info("{}: {} UNet steps from the budget's measurement in {} ({} img/s); not measured again",
                    config.name(), recorded.path("steps").asLong(), out, recorded.path("images_per_second").asDouble());
            return config;
        }
        DatasetInfo info = data.info();
        DiffusionTrainConfig unet = config.diffusion();
        double rate = meter.imagesPerSecond(unet, config.space(), inputShape(config, info), info.numClasses(), budget);
        UnetBudget measured = budget.withMeasured(rate, unet.batchSize());
        LOG.info("{}: the UNet trains at {} img/s here, so {} s buy {} steps of batch {}", config.name(),
                String.format(Locale.ROOT, "%.1f", rate), budget.seconds(), measured.measured().steps(),
                unet.batchSize());
        tree.withObjectProperty(KEY).set("measured", Json.MAPPER.valueToTree(measured.measured()));
        tree.withObjectProperty("diffusion").put("steps", measured.measured().steps());
        Json.writeYaml(out, tree);
        return RunConfig.read(out);
    }

    /** The run's dataset, opened when a measurement needs its shape. */
    @FunctionalInterface
    public interface DataInfo {
        DatasetInfo info() throws IOException;
    }

    /**
     * The measurement {@code out} holds, when it is {@code tree} apart from the measurement and the
     * diffusion steps; else null (no file, no measurement, or another config: measure again).
     */
    private static JsonNode recorded(Path out, ObjectNode tree) {
        if (!Files.isRegularFile(out)) {
            return null;
        }
        JsonNode before = Json.readYamlTree(out);
        JsonNode measured = before.path(KEY).path("measured");
        if (!measured.isObject() || !withoutMeasurement(before).equals(withoutMeasurement(tree))) {
            return null;
        }
        return measured.deepCopy();
    }

    private static JsonNode withoutMeasurement(JsonNode tree) {
        ObjectNode copy;
        try {
            // Through text, so a number compares by value whichever node type held it (3 as long or int).
            copy = (ObjectNode) Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(tree));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (copy.get(KEY) instanceof ObjectNode b) {
            b.remove("measured");
        }
        if (copy.get("diffusion") instanceof ObjectNode d) {
            d.remove("steps");
        }
        return copy;
    }

    /** The UNet's input for one image: the autoencoder's latent, or the image itself at f = 1. */
    static long[] inputShape(RunConfig config, DatasetInfo data) {
        if (config.space() == DataSpace.PIXEL) {
            return new long[] {data.channels(), data.height(), data.width()};
        }
        return config.autoencoder().forData(data.channels()).model().latentShape(data.height(), data.width())
                .getShape();
    }

    /** The real measurement: training steps of the UNet on random data of its input's shape, timed. */
    public static Meter timing(Device device) {
        return (config, space, shape, numClasses, budget) -> {
            int batch = config.batchSize();
            int elements = Math.toIntExact(shape[0] * shape[1] * shape[2]);
            float[] x = new float[batch * elements];
            int[] labels = new int[batch];
            Random random = new Random(0);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) random.nextGaussian();
            }
            for (int i = 0; i < batch; i++) {
                labels[i] = numClasses > 0 ? i % numClasses : -1;
            }
            DiffusionData data = DiffusionData.ofArrays(space, x, labels, (int) shape[0], (int) shape[1],
                    (int) shape[2], numClasses, "throughput probe");
            Path scratch = null;
            try (NDManager root = NDManager.newBaseManager(device)) {
                scratch = Files.createTempDirectory("ldm4j-probe");
                DiffusionTrainer trainer = DiffusionTrainer.start(config, data, scratch, root);
                long step = 0;
                for (; step < budget.warmupSteps(); step++) {
                    try (NDManager scope = root.newSubManager()) {
                        trainer.step(step, scope);
                    }
                }
                long start = System.nanoTime();
                for (int i = 0; i < budget.probeSteps(); i++, step++) {
                    try (NDManager scope = root.newSubManager()) {
                        trainer.step(step, scope);
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                return (double) budget.probeSteps() * batch / seconds;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                if (scratch != null) {
                    try {
                        AtomicFiles.deleteRecursively(scratch);
                    } catch (IOException e) {
                        LOG.debug("could not delete {}: {}", scratch, e.getMessage());
                    }
                }
            }
        };
    }
}
