package ldm4j.pipeline.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import ldm4j.core.InputException;
import ldm4j.core.io.Json;
import ldm4j.pipeline.report.Report;

/**
 * An ablation, as a YAML file ({@code configs/beta-ablation.yaml}): one base run config, one of its
 * keys swept over a list of numbers, and the sub-runs that makes, each an ordinary run directory.
 *
 * <pre>
 * title: "β ablation"            # the report's title (default: ldm4j ablate FILE-NAME)
 * base: fashion-quick.yaml       # a run config, relative to this file
 * sweep:
 *   key: autoencoder.beta        # a dotted run-config key, as RunConfig.read's overrides
 *   label: β                     # the axis's name (default: the key's last part)
 *   scale: log-with-zero         # or linear (the default)
 *   values: [0, 1.0e-6, {value: 1.0e-2, overrides: {...}, seeds: [...]}]
 * overrides:                     # every sub-run, swept or extra (dotted keys, or nested mappings)
 *   autoencoder.loss: l2
 * seeds: [0, 1, 2]               # optional; default the base's seed
 * extra:                         # labelled points off the swept axis
 *   - {label: ldm-l1, overrides: {autoencoder.loss: l1, autoencoder.beta: 1.0e-6}}
 * baseline: vae-fashion.yaml     # optional: one pixel-space VAE for the whole ablation (an
 *                                # autoencoder config, relative to this file), trained once
 * </pre>
 *
 * <p>Each sub-run is named from its value (the key's last part, {@code beta=1e-4}) or its label;
 * of a point's seeds, the base config's keeps that plain name and the others get {@code _seed=N},
 * so seeds can be added to a finished ablation without renaming (and retraining) its runs. The name is its directory under the
 * ablation's and its row in the report. Every sub-run's run config is resolved when the file is
 * read, so a bad key or value is reported, naming this file and the sub-run, before anything runs.
 *
 * @param file the ablation file
 * @param title the report's title
 * @param base the base run config
 * @param sweep the swept parameter's axis name and scale, for the report
 * @param subRuns every sub-run, swept values first (in the file's order, each with its seeds), then the extras
 * @param baseline the shared baseline's autoencoder config ({@code train-ae --config} keys), or null for none
 */
public record AblationConfig(Path file, String title, Path base, Report.Sweep sweep, List<SubRun> subRuns,
        Path baseline) {
    /**
     * One sub-run.
     *
     * @param name its directory under the ablation's, and its row in the report ({@code beta=1e-4})
     * @param sweepValue the swept key's value, or null for an extra point (off the swept axis)
     * @param overrides the dotted keys that make its run config from the base ({@code name} and
     *     {@code seed} included)
     * @param point the point it is one seed of: the swept value's name ({@code beta=1e-4}) or the
     *     extra's label; the report averages a point's seeds
     * @param shownAt where a plot against the swept key shows it: its swept value, or the swept key's
     *     value an extra sets (LDM's l1 point at β = 1e-6); null for an extra that sets none
     */
    public record SubRun(String name, Double sweepValue, Map<String, Object> overrides, String point,
            Double shownAt) {
        public SubRun {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(point, "point");
            overrides = Map.copyOf(overrides);
        }

        /** The only seed of its point, shown at its swept value. */
        public SubRun(String name, Double sweepValue, Map<String, Object> overrides) {
            this(name, sweepValue, overrides, name, sweepValue);
        }
    }

    public AblationConfig {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(sweep, "sweep");
        subRuns = List.copyOf(subRuns);
    }

    /** The file as written. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    private record Written(String title, String base, SweepKeys sweep, Map<String, Object> overrides,
            List<Long> seeds, List<Extra> extra, String baseline) {}

    /** {@code sweep:} as written. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    private record SweepKeys(String key, String label, Report.Sweep.Scale scale, List<Value> values) {}

    /** One swept value, with its own overrides and seeds (a bare number has neither). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    private record Value(Double value, Map<String, Object> overrides, List<Long> seeds) {}

    /** A labelled point off the swept axis. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    private record Extra(String label, Map<String, Object> overrides, List<Long> seeds) {}

    /** Keys an ablation sets itself, or that every sub-run must share. */
    private static final Set<String> RESERVED = Set.of("name", "data", "seed");
    /** Folders of the ablation's directory that are not sub-runs. */
    private static final Set<String> OWN_DIRS = Set.of(Report.DIR, SharedBaseline.DIR);
    /** A sub-run's name: a plain file name ('=' allowed). */
    private static final String PLAIN = "[A-Za-z0-9._=-]+";

    /**
     * Reads an ablation file and resolves every sub-run's run config against its base.
     *
     * @throws InputException one line naming the file and the key (or the sub-run) on any fault
     */
    public static AblationConfig read(Path file) {
        JsonNode tree = Json.readYamlTree(file);
        if (!tree.isObject()) {
            throw InputException.inFile(file, "expected a mapping of ablation keys, got " + tree.getNodeType());
        }
        // A bare number in sweep.values is {value: number}; YAML reads 1e-4 (no dot) as text.
        JsonNode values = tree.path("sweep").path("values");
        if (values instanceof ArrayNode list) {
            for (int i = 0; i < list.size(); i++) {
                JsonNode v = list.get(i);
                if (v.isTextual() && v.asText().trim().matches("[-+]?[0-9.]+([eE][-+]?[0-9]+)?")) {
                    v = Json.MAPPER.getNodeFactory().numberNode(Double.parseDouble(v.asText().trim()));
                }
                if (v.isNumber()) {
                    list.set(i, Json.MAPPER.createObjectNode().set("value", v));
                }
            }
        }
        Written w = Json.convert(tree, Written.class, file);
        if (w.base() == null || w.base().isBlank()) {
            throw InputException.inFile(file, "base: name the base run config (relative to this file)");
        }
        Path dir = file.toAbsolutePath().getParent();
        Path base = dir.resolve(w.base()).normalize();
        if (!Files.isRegularFile(base)) {
            throw InputException.inFile(file, "base: no run config at " + base);
        }
        SweepKeys sweep = w.sweep();
        if (sweep == null || sweep.key() == null || sweep.key().isBlank()) {
            throw InputException.inFile(file, "sweep.key: name the swept run-config key, e.g. autoencoder.beta");
        }
        String key = sweep.key().trim();
        if (RESERVED.contains(key)) {
            throw InputException.inFile(file, "sweep.key: " + key + " cannot be swept (seeds: sweeps seeds)");
        }
        if (sweep.values() == null || sweep.values().isEmpty()) {
            throw InputException.inFile(file, "sweep.values: give at least one value");
        }
        Map<String, Object> shared = flat(file, "overrides", w.overrides());
        refuse(file, "overrides", shared, key);
        RunConfig baseConfig = RunConfig.read(base);
        List<Long> seeds = seeds(file, "seeds", w.seeds(), List.of(baseConfig.seed()));
        String keyName = key.substring(key.lastIndexOf('.') + 1);

        List<SubRun> subRuns = new ArrayList<>();
        for (int i = 0; i < sweep.values().size(); i++) {
            Value v = sweep.values().get(i);
            String at = "sweep.values[" + i + "]";
            if (v.value() == null || !Double.isFinite(v.value())) {
                throw InputException.inFile(file, at + ": expected a number or {value: number, overrides, seeds}");
            }
            Map<String, Object> own = flat(file, at + ".overrides", v.overrides());
            refuse(file, at + ".overrides", own, key);
            Map<String, Object> overrides = new LinkedHashMap<>(shared);
            overrides.putAll(own);
            overrides.put(key, number(v.value()));
            String name = keyName + "=" + format(v.value());
            addSeeds(subRuns, name, v.value(), v.value(), overrides, seeds(file, at + ".seeds", v.seeds(), seeds),
                    baseConfig.seed(), baseConfig.name());
        }
        for (int i = 0; i < (w.extra() == null ? 0 : w.extra().size()); i++) {
            Extra e = w.extra().get(i);
            String at = "extra[" + i + "]";
            if (e.label() == null || !e.label().matches(PLAIN)) {
                throw InputException.inFile(file, at + ".label: give a plain name (letters, digits, . _ = -), got "
                        + e.label());
            }
            Map<String, Object> own = flat(file, at + ".overrides", e.overrides());
            refuse(file, at + ".overrides", own, null);
            Map<String, Object> overrides = new LinkedHashMap<>(shared);
            overrides.putAll(own);
            Double shownAt = own.get(key) instanceof Number n ? n.doubleValue() : null;
            addSeeds(subRuns, e.label(), null, shownAt, overrides, seeds(file, at + ".seeds", e.seeds(), seeds),
                    baseConfig.seed(), baseConfig.name());
        }
        Set<String> names = new HashSet<>();
        for (SubRun s : subRuns) {
            if (OWN_DIRS.contains(s.name())) {
                throw InputException.inFile(file, "sub-run " + s.name() + ": the name of a folder the ablation "
                        + "writes itself; label it otherwise");
            }
            if (!names.add(s.name())) {
                throw InputException.inFile(file, "two sub-runs are named " + s.name() + "; give each value and "
                        + "label once");
            }
            try {
                RunConfig.read(base, s.overrides());
            } catch (InputException e) {
                // A training section reads overrides as flags, and names a bad one "command line".
                String fault = e.getMessage().replaceFirst("^command line: ", "its overrides: ");
                throw InputException.inFile(file, "sub-run " + s.name() + ": " + fault, e);
            }
        }
        String label = sweep.label() == null || sweep.label().isBlank() ? keyName : sweep.label();
        Report.Sweep.Scale scale = sweep.scale() == null ? Report.Sweep.Scale.LINEAR : sweep.scale();
        String title = w.title() == null || w.title().isBlank()
                ? "ldm4j ablate " + file.getFileName().toString().replaceFirst("\\.ya?ml$", "") : w.title();
        return new AblationConfig(file, title, base, new Report.Sweep(label, scale), subRuns,
                baseline(file, dir, w.baseline()));
    }

    /** The shared baseline's config file, resolved now so a bad key is reported before anything runs. */
    private static Path baseline(Path file, Path dir, String given) {
        if (given == null) {
            return null;
        }
        if (given.isBlank()) {
            throw InputException.inFile(file, "baseline: name an autoencoder config (relative to this file)");
        }
        Path baseline = dir.resolve(given).normalize();
        if (!Files.isRegularFile(baseline)) {
            throw InputException.inFile(file, "baseline: no autoencoder config at " + baseline);
        }
        try {
            SharedBaseline.config(baseline, 1);
        } catch (InputException e) {
            throw InputException.inFile(file, "baseline: " + e.getMessage(), e);
        }
        return baseline;
    }

    /**
     * A sub-run's run config as a file would hold it: the base's keys with the sub-run's overrides
     * written in. {@code ldm4j run} on it makes the same run.
     */
    public ObjectNode runConfigTree(SubRun subRun) {
        JsonNode tree = Json.readYamlTree(base);
        ObjectNode out = ((ObjectNode) tree).deepCopy();
        subRun.overrides().forEach((key, value) -> {
            String[] path = key.split("\\.");
            ObjectNode node = out;
            for (int i = 0; i < path.length - 1; i++) {
                node = node.withObjectProperty(path[i]);
            }
            node.set(path[path.length - 1], Json.MAPPER.valueToTree(value));
        });
        return out;
    }

    /**
     * One sub-run per seed. The base config's seed keeps the point's plain name and the others are
     * suffixed {@code _seed=N}, so an ablation run with one seed and started again with seeds added
     * finds its finished sub-run under the same name, with the same config, and does not retrain it.
     */
    private static void addSeeds(List<SubRun> into, String name, Double value, Double shownAt,
            Map<String, Object> overrides, List<Long> seeds, long baseSeed, String baseName) {
        for (long seed : seeds) {
            String full = seed == baseSeed ? name : name + "_seed=" + seed;
            Map<String, Object> o = new LinkedHashMap<>(overrides);
            o.put("seed", seed);
            o.put("name", baseName + "-" + full.replace('=', '_'));
            into.add(new SubRun(full, value, o, name, shownAt));
        }
    }

    private static List<Long> seeds(Path file, String at, List<Long> given, List<Long> fallback) {
        if (given == null) {
            return fallback;
        }
        if (given.isEmpty() || given.stream().anyMatch(Objects::isNull) || new HashSet<>(given).size() < given.size()) {
            throw InputException.inFile(file, at + ": give one or more different seeds, got " + given);
        }
        return List.copyOf(given);
    }

    /** Overrides as dotted keys: a nested mapping {@code {autoencoder: {loss: l2}}} is {@code autoencoder.loss}. */
    private static Map<String, Object> flat(Path file, String at, Map<String, Object> given) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (given != null) {
            flatten("", given, out);
        }
        for (Map.Entry<String, Object> e : out.entrySet()) {
            if (e.getValue() == null) {
                throw InputException.inFile(file, at + "." + e.getKey() + ": give a value");
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Map<String, Object> map, Map<String, Object> out) {
        map.forEach((k, v) -> {
            if (v instanceof Map<?, ?> m) {
                flatten(prefix + k + ".", (Map<String, Object>) m, out);
            } else {
                out.put(prefix + k, v);
            }
        });
    }

    /** Refuses the keys the ablation sets itself, and the swept key outside the sweep. */
    private static void refuse(Path file, String at, Map<String, Object> overrides, String sweptKey) {
        for (String k : overrides.keySet()) {
            if (RESERVED.contains(k)) {
                throw InputException.inFile(file, at + "." + k + ": set by the ablation"
                        + (k.equals("seed") ? " (use seeds:)" : " (every sub-run shares the base's)"));
            }
            if (k.equals(sweptKey)) {
                throw InputException.inFile(file, at + "." + k + ": the swept key is set by sweep.values");
            }
        }
    }

    /** An integral value as a whole number, so integer keys (steps, channels) take it. */
    private static Object number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? (Object) (long) v : (Object) v;
    }

    /**
     * A value as a sub-run's name spells it: plain from 0.1 up to a million ({@code 0}, {@code 0.5},
     * {@code 8}), else as mantissa and exponent ({@code 1e-6}, {@code 2.5e-3}).
     */
    static String format(double v) {
        if (v == 0) {
            return "0";
        }
        BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        double a = Math.abs(v);
        if (a >= 0.1 && a < 1e6) {
            return d.toPlainString();
        }
        int exponent = d.precision() - d.scale() - 1;
        return d.movePointLeft(exponent).stripTrailingZeros().toPlainString() + "e" + exponent;
    }
}
