package ldm4j.core.train;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import ldm4j.core.InputException;
import ldm4j.core.io.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The config keys a user set for a trainer, each with where it was set: a command-line flag or a
 * config file. A trainer's config is built in layers (its defaults, then the file, then the flags,
 * {@link Json#merge}); keeping the last two apart from the defaults tells what the user asked for
 * from what the trainer chose. Two things need that:
 *
 * <ul>
 *   <li>resuming ({@link #resume}): every key the user set must equal the checkpoint's, except
 *       {@code steps}, so the command that made a run continues it with {@code --resume} appended,
 *       and one that contradicts it is refused, naming the flag and both values;
 *   <li>a warm-up that does not fit the run ({@link WarmupFit}): shortened, unless the user wrote
 *       both {@code --warmup} and {@code --steps}.
 * </ul>
 *
 * <p>Keys are dotted snake_case paths as in the YAML ({@code beta}, {@code model.ch_mult}); a list is
 * one value. A flag's key beats the file's.
 */
public final class GivenKeys {
    private static final Logger LOG = LoggerFactory.getLogger(GivenKeys.class);

    /** The key every trainer config counts its steps in: the one key a resumed run may change. */
    public static final String STEPS = "steps";
    /** Where flag values are reported when one is rejected. */
    static final Path COMMAND_LINE = Path.of("command line");

    private final Path file;
    private final String at;
    private final ObjectNode fileTree;
    private final ObjectNode flagTree = Json.MAPPER.createObjectNode();
    /** Leaf key → where it was set: "--beta", "FILE", or "FILE: autoencoder.beta" for a section's key. */
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Set<String> byFlag = new HashSet<>();
    private boolean quiet;

    private GivenKeys(Path file, ObjectNode fileTree, String at) {
        this.file = file;
        this.at = at;
        this.fileTree = fileTree;
        leaves("", fileTree, (key, v) -> sources.put(key, at.isEmpty() ? file.toString() : file + ": " + at + "." + key));
    }

    /** Nothing set: the trainer's defaults (or the base given to {@link #resolve}) as they are. */
    public static GivenKeys none() {
        return new GivenKeys(null, Json.MAPPER.createObjectNode(), "");
    }

    /**
     * The keys of a YAML config file; none when {@code yaml} is null.
     *
     * @throws InputException naming the file when it cannot be read or is not a mapping
     */
    public static GivenKeys file(Path yaml) {
        if (yaml == null) {
            return none();
        }
        JsonNode tree = Json.readYamlTree(yaml);
        if (tree.isNull() || tree.isMissingNode()) {
            return new GivenKeys(yaml, Json.MAPPER.createObjectNode(), "");
        }
        if (!tree.isObject()) {
            throw InputException.inFile(yaml, "expected a mapping of config keys, got " + tree.getNodeType());
        }
        return new GivenKeys(yaml, (ObjectNode) tree, "");
    }

    /**
     * The keys of one section of a larger YAML file, e.g. the {@code autoencoder:} section of a run
     * config.
     *
     * @param source the file, named in errors
     * @param at the section's dotted key path in it, so that errors spell a key as the file does
     */
    public static GivenKeys section(Path source, JsonNode section, String at) {
        ObjectNode tree = section == null || section.isNull() || section.isMissingNode()
                ? Json.MAPPER.createObjectNode() : ((ObjectNode) section).deepCopy();
        return new GivenKeys(source, tree, at);
    }

    /**
     * Records that flag {@code flag} set config key {@code key}; a null value (a flag not given) is
     * left out, so every flag can be passed as picocli left it.
     *
     * @param value a number, string, boolean, enum, list or record: anything Jackson writes
     */
    public GivenKeys flag(String flag, String key, Object value) {
        if (value == null) {
            return this;
        }
        JsonNode v = Json.MAPPER.valueToTree(value);
        put(flagTree, key, v);
        leaves(key, v, (leaf, x) -> {
            sources.put(leaf, flag);
            byFlag.add(leaf);
        });
        return this;
    }

    /** {@link #flag} for each entry, named by its key (for callers that have no flag names). */
    public GivenKeys flags(Map<String, ?> byKey) {
        byKey.forEach((k, v) -> flag(k, k, v));
        return this;
    }

    /** {@link #flag} for each leaf of {@code tree} (nested as in the YAML), named by its dotted key. */
    public GivenKeys flags(JsonNode tree) {
        if (tree != null) {
            leaves("", tree, (key, v) -> flag(key, key, v));
        }
        return this;
    }

    /**
     * Reads the top-level key {@code old} as {@code now}, for a setting that was renamed: a file or
     * flags that spell it the old way still work, with one line that says what to write instead.
     * Calling it again changes nothing.
     *
     * @throws InputException when the file, or the flags, set both
     */
    public GivenKeys renamed(String old, String now) {
        for (ObjectNode tree : List.of(fileTree, flagTree)) {
            if (!tree.has(old)) {
                continue;
            }
            boolean flag = tree == flagTree;
            String where = flag ? sources.get(old) : at.isEmpty() ? file.toString() : file + ": " + at + "." + old;
            if (tree.has(now)) {
                throw new InputException(where + ": sets both " + old + " and " + now + "; " + old
                        + " is the old name of " + now + ", keep only " + now);
            }
            tree.set(now, tree.remove(old));
            if (flag) {
                sources.put(now, sources.remove(old));
            } else if (!flagTree.has(old)) { // else the flag's source stands, and is moved below
                sources.remove(old);
                if (!flagTree.has(now)) {
                    sources.put(now, at.isEmpty() ? file.toString() : file + ": " + at + "." + now);
                }
            }
            if (flag && byFlag.remove(old)) {
                byFlag.add(now);
            }
            if (!quiet) {
                LOG.warn("{}: {} is the old name of {}; it still reads, but write {}", where, old, now, now);
            }
        }
        return this;
    }

    /** These keys, with no line about a shortened warm-up (for a second look at what was reported once). */
    public GivenKeys quiet() {
        this.quiet = true;
        return this;
    }

    /** True when a flag set {@code key}. */
    public boolean byFlag(String key) {
        return byFlag.contains(key);
    }

    /** Where {@code key} was set ("--beta", "FILE"), or empty when it keeps its default. */
    public Optional<String> source(String key) {
        return Optional.ofNullable(sources.get(key));
    }

    /**
     * {@code base}, then the file's keys, then the flags', as a {@code type}. A cosine decay's warm-up
     * that does not fit the run is shortened, or refused when both flags were given ({@link WarmupFit}).
     * A key the file gets wrong is reported against the file (and its line); one the flags get wrong,
     * against the command line.
     *
     * @param normalise makes a merged tree readable as {@code type} (e.g. upper-cases enum values)
     * @throws InputException naming the file or the command line and the key
     */
    public <T> T resolve(Object base, Class<T> type, UnaryOperator<ObjectNode> normalise) {
        ObjectNode tree = normalise.apply(Json.merge(Json.MAPPER.valueToTree(base), fileTree));
        if (flagTree.isEmpty()) {
            WarmupFit.apply(tree, this, !quiet);
            return Json.convert(tree, type, file != null ? file : COMMAND_LINE, at);
        }
        if (file != null) {
            ObjectNode fileOnly = tree.deepCopy();
            WarmupFit.apply(fileOnly, this, false);
            Json.convert(fileOnly, type, file, at);
        }
        tree = normalise.apply(Json.merge(tree, flagTree));
        WarmupFit.apply(tree, this, !quiet);
        return Json.convert(tree, type, COMMAND_LINE);
    }

    /**
     * The config that continues a checkpoint's run: the checkpoint's own, with the {@code steps} the
     * user gave (if any). Every other key the user set must equal the checkpoint's, so the command
     * that made the run, with {@code --resume} appended, continues it. What the user set is compared
     * as it resolves for the checkpoint's run, that is with the checkpoint's steps, so a warm-up that
     * was shortened then is shortened the same way now.
     *
     * @param saved the checkpoint's config
     * @param resolve turns given keys into a config the way a fresh run does (over the trainer's
     *     defaults, with whatever it derives from the data)
     * @param checkpoint the checkpoint, named in errors
     * @throws InputException for the first key that contradicts the checkpoint, naming where it was
     *     set, its value in the checkpoint and the given value; or for steps too few for the
     *     checkpoint's warm-up
     */
    @SuppressWarnings("unchecked")
    public <T> T resume(T saved, Function<GivenKeys, T> resolve, Path checkpoint) {
        ObjectNode was = Json.MAPPER.valueToTree(saved);
        GivenKeys atCheckpoint = copy().quiet();
        atCheckpoint.flagTree.set(STEPS, was.get(STEPS));
        atCheckpoint.byFlag.remove(STEPS);
        JsonNode asked = Json.MAPPER.valueToTree(resolve.apply(atCheckpoint));
        for (Map.Entry<String, String> e : sources.entrySet()) {
            String key = e.getKey();
            if (!key.equals(STEPS) && !valueAt(was, key).equals(valueAt(asked, key))) {
                throw new InputException(e.getValue() + " gives " + key + " = " + show(valueAt(asked, key))
                        + ", but the checkpoint " + checkpoint + " has " + key + " = " + show(valueAt(was, key))
                        + "; a resumed run keeps its config (only --steps may change)");
            }
        }
        JsonNode steps = valueAt(flagTree, STEPS).isMissingNode() ? valueAt(fileTree, STEPS) : valueAt(flagTree, STEPS);
        if (steps.isMissingNode()) {
            return saved;
        }
        ObjectNode now = was.deepCopy();
        now.set(STEPS, steps);
        WarmupFit.requireFits(now, sources.get(STEPS), checkpoint);
        return (T) Json.convert(now, saved.getClass(), COMMAND_LINE);
    }

    /**
     * Checks, when a trainer resumes, that the config it was handed is the checkpoint's in every key
     * but {@code steps}: the data order, the noise and the optimizer state all assume it.
     *
     * @throws InputException naming the first key that differs and both values
     */
    public static void requireSame(Object saved, Object config, Path checkpoint) {
        JsonNode was = Json.MAPPER.valueToTree(saved);
        JsonNode is = Json.MAPPER.valueToTree(config);
        Map<String, JsonNode> keys = new TreeMap<>();
        leaves("", was, keys::put);
        leaves("", is, keys::put);
        for (String key : keys.keySet()) {
            if (!key.equals(STEPS) && !valueAt(was, key).equals(valueAt(is, key))) {
                throw new InputException("resuming " + checkpoint + ": it was trained with " + key + " = "
                        + show(valueAt(was, key)) + ", but this run has " + key + " = " + show(valueAt(is, key))
                        + "; a resumed run keeps its config (only steps may change)");
            }
        }
    }

    private GivenKeys copy() {
        GivenKeys c = new GivenKeys(file, fileTree, at);
        c.flagTree.setAll(flagTree.deepCopy());
        c.sources.putAll(sources);
        c.byFlag.addAll(byFlag);
        c.quiet = quiet;
        return c;
    }

    /** The value at a dotted key, or a missing node. */
    static JsonNode valueAt(JsonNode tree, String dotted) {
        StringBuilder pointer = new StringBuilder();
        for (String k : dotted.split("\\.")) {
            pointer.append('/').append(k.replace("~", "~0").replace("/", "~1"));
        }
        return tree.at(JsonPointer.compile(pointer.toString()));
    }

    private static String show(JsonNode v) {
        return v.isMissingNode() ? "(unset)" : v.isTextual() ? v.asText() : v.toString();
    }

    private static void put(ObjectNode tree, String dotted, JsonNode value) {
        String[] path = dotted.split("\\.");
        ObjectNode node = tree;
        for (int i = 0; i < path.length - 1; i++) {
            node = node.withObjectProperty(path[i]);
        }
        node.set(path[path.length - 1], value);
    }

    /** Calls {@code each} with the dotted key and value of every non-object node under {@code node}. */
    private static void leaves(String prefix, JsonNode node, java.util.function.BiConsumer<String, JsonNode> each) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                leaves(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), each);
            }
        } else if (!prefix.isEmpty()) {
            each.accept(prefix, node);
        }
    }
}
