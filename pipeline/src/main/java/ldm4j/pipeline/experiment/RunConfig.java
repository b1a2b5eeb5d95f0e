package ldm4j.pipeline.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import ldm4j.autoencoder.train.AutoencoderTrainConfig;
import ldm4j.core.InputException;
import ldm4j.core.io.Json;
import ldm4j.core.train.GivenKeys;
import ldm4j.diffusion.train.DataSpace;
import ldm4j.diffusion.train.DiffusionTrainConfig;

/**
 * One end-to-end experiment, as a YAML file ({@code configs/fashion-quick.yaml}): which data, how to
 * train each stage, what to sample and how to judge it.
 *
 * <p>The {@code autoencoder} and {@code diffusion} sections hold the keys of the stage's own training
 * config (the same keys as {@code train-ae --config} and {@code train-ldm --config}); what a section
 * leaves out keeps the stage's default, and a section without a {@code seed} takes the run's. Both
 * are resolved into their typed configs when the file is read, so a bad key is reported before
 * anything runs. The resolved configs are written to the run directory.
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
 * @param f the downsampling factor ({@code f:}): 1 is diffusion on pixels, with no autoencoder or
 *     encode stage; any other value is 2^(len(ch_mult) − 1) of the autoencoder, which the file may
 *     leave out (then it is the autoencoder's) or must match
 * @param unetBudget the UNet's training as seconds rather than steps ({@code unet_budget:}), or null
 *     for the section's steps
 * @param progressPoints {@code progress_points:} score samples at this many equally spaced points of
 *     the UNet's training, the last being the run's own evaluation (0, the default: only that one)
 */
public record RunConfig(String name, String data, long seed, AutoencoderSection autoencoder, EncodeSettings encode,
        DiffusionTrainConfig diffusion, SampleSettings sample, BaselineSettings baseline, EvalSettings eval, int f,
        UnetBudget unetBudget, int progressPoints) {

    public RunConfig {
        if (name == null || name.isBlank() || !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("name must be a plain file name (letters, digits, . _ -), got " + name);
        }
        if (data == null || data.isBlank()) {
            throw new IllegalArgumentException("data must name a dataset or spec");
        }
        Objects.requireNonNull(autoencoder, "autoencoder");
        Objects.requireNonNull(diffusion, "diffusion");
        encode = Objects.requireNonNullElseGet(encode, EncodeSettings::defaults);
        sample = Objects.requireNonNullElseGet(sample, SampleSettings::defaults);
        eval = Objects.requireNonNullElseGet(eval, EvalSettings::defaults);
        Objects.requireNonNull(baseline, "baseline");
        int ae = autoencoder.config().model().downsamplingFactor();
        if (f != 1 && f != ae) {
            throw new IllegalArgumentException("f: " + f + " is neither 1 (pixels, no autoencoder) nor the "
                    + "autoencoder's f = 2^(len(ch_mult) - 1) = " + ae + "; set autoencoder.model.ch_mult to match");
        }
        if (unetBudget != null && unetBudget.measured() != null && unetBudget.measured().steps() != diffusion.steps()) {
            throw new IllegalArgumentException("unet_budget.measured.steps is " + unetBudget.measured().steps()
                    + " but diffusion.steps is " + diffusion.steps() + "; the measured budget sets the steps");
        }
        if (progressPoints < 0 || progressPoints == 1) {
            throw new IllegalArgumentException("progress_points must be 0 (off) or >= 2 (the last is the run's "
                    + "evaluation), got " + progressPoints);
        }
    }

    /** Where the UNet works: on pixels at f = 1, else on the autoencoder's latents. */
    public DataSpace space() {
        return f == 1 ? DataSpace.PIXEL : DataSpace.LATENT;
    }

    /**
     * The file's keys outside the two training sections, bound as they are written.
     *
     * @param baseline {@code enabled}, and {@code autoencoder}: the keys that replace the main
     *     autoencoder section's for the baseline
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    private record Settings(String name, String data, long seed, JsonNode autoencoder, EncodeSettings encode,
            JsonNode diffusion, SampleSettings sample, BaselineKeys baseline, EvalSettings eval, Integer f,
            UnetBudget unetBudget, Integer progressPoints) {}

    /** The baseline as written: on or off, and its changes to the main autoencoder section. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    private record BaselineKeys(boolean enabled, JsonNode autoencoder) {
        BaselineKeys {
            if (autoencoder == null || autoencoder.isNull()) {
                ObjectNode textbook = JsonNodeFactory.instance.objectNode();
                textbook.put("beta", 1.0);
                textbook.put("loss", "nll");
                autoencoder = textbook;
            }
            if (!autoencoder.isObject()) {
                throw new IllegalArgumentException("baseline.autoencoder must be a mapping of config keys");
            }
        }
    }

    /**
     * Reads a run config and resolves its training sections: the autoencoder's, the diffusion's, then
     * the baseline's (the autoencoder's keys with {@code baseline.autoencoder}'s on top, when the
     * baseline is on). A warm-up that does not fit a section's steps is shortened, said once per section.
     *
     * @throws ldm4j.core.InputException naming the file and the key on a typo or a bad value
     */
    public static RunConfig read(Path yaml) {
        return read(yaml, Map.of());
    }

    /**
     * {@link #read(Path)} with {@code overrides} on top of the file, the way a command's flags are on
     * top of its {@code --config} file: an experiment makes its variants from one file this way
     * ({@code name}, {@code autoencoder.beta}, {@code autoencoder.model.ch_mult}). A training section's
     * overrides go through {@link GivenKeys} as flags named by their dotted key, so the rules for flags
     * hold for them too (a warm-up is kept as given only when both it and the steps are overridden, and
     * a bad value is reported as the override's, not the file's). The baseline's autoencoder starts
     * from the main section with its overrides, then takes its own changes and {@code
     * baseline.autoencoder.*} overrides.
     *
     * @param overrides dotted keys as in the YAML, to values (numbers, strings, booleans, lists)
     * @throws ldm4j.core.InputException naming the file or the override and the key
     */
    public static RunConfig read(Path yaml, Map<String, ?> overrides) {
        Map<String, Object> top = new LinkedHashMap<>();
        Map<String, Object> aeFlags = new LinkedHashMap<>();
        Map<String, Object> diffusionFlags = new LinkedHashMap<>();
        Map<String, Object> baselineFlags = new LinkedHashMap<>();
        overrides.forEach((key, value) -> {
            if (key.startsWith(BASELINE_AE)) {
                baselineFlags.put(key.substring(BASELINE_AE.length()), value);
            } else if (key.startsWith(AE)) {
                aeFlags.put(key.substring(AE.length()), value);
            } else if (key.startsWith(DIFFUSION)) {
                diffusionFlags.put(key.substring(DIFFUSION.length()), value);
            } else {
                top.put(key, value);
            }
        });
        JsonNode file = Json.readYamlTree(yaml);
        if (!file.isObject()) {
            throw InputException.inFile(yaml, "expected a mapping of run config keys, got " + file.getNodeType());
        }
        // Sections a file leaves out, or leaves part-way, keep their defaults.
        ObjectNode tree = Json.MAPPER.createObjectNode();
        tree.put("seed", 0);
        tree.set("encode", Json.MAPPER.valueToTree(EncodeSettings.defaults()));
        tree.set("sample", Json.MAPPER.valueToTree(SampleSettings.defaults()));
        tree.set("baseline", Json.MAPPER.valueToTree(new BaselineKeys(true, null)));
        tree.set("eval", Json.MAPPER.valueToTree(EvalSettings.defaults()));
        Json.merge(tree, file);
        top.forEach((key, value) -> put(tree, key, value));
        Settings s = Json.convert(tree, Settings.class, yaml);
        JsonNode aeKeys = section(s.autoencoder(), "autoencoder", yaml);
        JsonNode diffusionKeys = section(s.diffusion(), "diffusion", yaml);

        // One input channel until the data is open (AutoencoderSection.forData).
        AutoencoderSection autoencoder = autoencoder(withSeed(aeKeys, s.seed()), aeFlags, yaml, "autoencoder");
        DiffusionTrainConfig diffusion = DiffusionTrainConfig.load(
                given(withSeed(diffusionKeys, s.seed()), diffusionFlags, yaml, "diffusion"));
        BaselineSettings baseline = new BaselineSettings(s.baseline().enabled(), s.baseline().enabled()
                ? autoencoder(withSeed(Json.merge(((ObjectNode) autoencoder.keys()).deepCopy(),
                        s.baseline().autoencoder()), s.seed()), baselineFlags, yaml, "baseline.autoencoder")
                : null);
        try {
            int f = s.f() != null ? s.f() : autoencoder.config().model().downsamplingFactor();
            return new RunConfig(s.name(), s.data(), s.seed(), autoencoder, s.encode(), diffusion, s.sample(), baseline,
                    s.eval(), f, s.unetBudget(), s.progressPoints() == null ? 0 : s.progressPoints());
        } catch (IllegalArgumentException e) {
            throw InputException.inFile(yaml, e.getMessage());
        }
    }

    private static final String AE = "autoencoder.";
    private static final String BASELINE_AE = "baseline.autoencoder.";
    private static final String DIFFUSION = "diffusion.";

    /**
     * An autoencoder section resolved from the file's keys and the overrides; its keys are both
     * together (what a baseline builds on).
     */
    private static AutoencoderSection autoencoder(ObjectNode keys, Map<String, Object> flags, Path source,
            String at) {
        AutoencoderTrainConfig config = AutoencoderTrainConfig.resolve(AutoencoderTrainConfig.defaults(1),
                given(keys, flags, source, at));
        ObjectNode all = keys.deepCopy();
        flags.forEach((key, value) -> put(all, key, value));
        return new AutoencoderSection(config, all);
    }

    /** A section's keys from the file, and its overrides as flags named by their full dotted key. */
    private static GivenKeys given(ObjectNode keys, Map<String, Object> flags, Path source, String at) {
        GivenKeys given = GivenKeys.section(source, keys, at);
        flags.forEach((key, value) -> given.flag(at + "." + key, key, value));
        return given;
    }

    /** Sets the dotted {@code key} of {@code tree} to {@code value}, making the mappings on the way. */
    private static void put(ObjectNode tree, String key, Object value) {
        String[] path = key.split("\\.");
        ObjectNode node = tree;
        for (int i = 0; i < path.length - 1; i++) {
            node = node.withObjectProperty(path[i]);
        }
        node.set(path[path.length - 1], Json.MAPPER.valueToTree(value));
    }

    /** A training section as a mapping: empty when left out. */
    private static JsonNode section(JsonNode node, String key, Path source) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!node.isObject()) {
            throw InputException.inFile(source, key + " must be a mapping of config keys, got " + node.getNodeType());
        }
        return node;
    }

    /** A stage section with the run's seed filled in where the section sets none. */
    private static ObjectNode withSeed(JsonNode section, long seed) {
        ObjectNode copy = ((ObjectNode) section).deepCopy();
        if (!copy.has("seed")) {
            copy.put("seed", seed);
        }
        return copy;
    }
}
