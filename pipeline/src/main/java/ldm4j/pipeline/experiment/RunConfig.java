package ldm4j.pipeline.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Objects;
import ldm4j.core.InputException;
import ldm4j.core.io.Json;

/**
 * One end-to-end experiment, as a YAML file ({@code configs/fashion-quick.yaml}): which data, how to
 * train each stage, what to sample and how to judge it.
 *
 * <p>The {@code autoencoder} and {@code diffusion} sections hold the keys of the stage's own training
 * config (the same keys as {@code train-ae --config} and {@code train-ldm --config}); what a section
 * leaves out keeps the stage's default. The resolved configs are written to the run directory.
 *
 * @param name the experiment's name, used as the default run directory under {@code runs/}
 * @param data dataset name or spec
 * @param seed the seed of every stage that has no seed of its own in its section
 * @param autoencoder the stage-1 training config (keys as in {@code train-ae --config})
 * @param encode how the dataset is encoded for stage 2
 * @param diffusion the stage-2 training config (keys as in {@code train-ldm --config})
 * @param sample what the trained pair draws for evaluation
 * @param baseline the pixel-space VAE baseline: a β = 1 autoencoder sampled from its prior
 * @param eval whether and how the samples are scored
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunConfig(String name, String data, long seed, JsonNode autoencoder, EncodeSettings encode,
        JsonNode diffusion, SampleSettings sample, BaselineSettings baseline, EvalSettings eval) {

    public RunConfig {
        if (name == null || name.isBlank() || !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("name must be a plain file name (letters, digits, . _ -), got " + name);
        }
        if (data == null || data.isBlank()) {
            throw new IllegalArgumentException("data must name a dataset or spec");
        }
        autoencoder = autoencoder == null || autoencoder.isNull() ? JsonNodeFactory.instance.objectNode() : autoencoder;
        diffusion = diffusion == null || diffusion.isNull() ? JsonNodeFactory.instance.objectNode() : diffusion;
        if (!autoencoder.isObject() || !diffusion.isObject()) {
            throw new IllegalArgumentException("autoencoder and diffusion must be mappings of config keys");
        }
        encode = Objects.requireNonNullElseGet(encode, EncodeSettings::defaults);
        sample = Objects.requireNonNullElseGet(sample, SampleSettings::defaults);
        baseline = Objects.requireNonNullElseGet(baseline, BaselineSettings::defaults);
        eval = Objects.requireNonNullElseGet(eval, EvalSettings::defaults);
    }

    /**
     * Reads a run config.
     *
     * @throws ldm4j.core.InputException naming the file and the key on a typo or a bad value
     */
    public static RunConfig read(Path yaml) {
        JsonNode file = Json.readYamlTree(yaml);
        if (!file.isObject()) {
            throw InputException.inFile(yaml, "expected a mapping of run config keys, got " + file.getNodeType());
        }
        // Sections a file leaves out, or leaves part-way, keep their defaults.
        ObjectNode tree = Json.MAPPER.createObjectNode();
        tree.put("seed", 0);
        tree.set("encode", Json.MAPPER.valueToTree(EncodeSettings.defaults()));
        tree.set("sample", Json.MAPPER.valueToTree(SampleSettings.defaults()));
        tree.set("baseline", Json.MAPPER.valueToTree(BaselineSettings.defaults()));
        tree.set("eval", Json.MAPPER.valueToTree(EvalSettings.defaults()));
        Json.merge(tree, file);
        return Json.convert(tree, RunConfig.class, yaml);
    }

    /** A stage section with the run's seed filled in where the section sets none. */
    static ObjectNode withSeed(JsonNode section, long seed) {
        ObjectNode copy = ((ObjectNode) section).deepCopy();
        if (!copy.has("seed")) {
            copy.put("seed", seed);
        }
        return copy;
    }
}
