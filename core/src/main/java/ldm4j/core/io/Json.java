package ldm4j.core.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import ldm4j.core.InputException;

/**
 * The project's shared JSON and YAML mappers, and read helpers that turn Jackson's errors into
 * one-line {@link InputException}s naming the file and the line.
 *
 * <p>Both mappers reject unknown properties, so a typo in a config ({@code betta: 1e-6}) fails
 * loudly instead of silently falling back to a default.
 */
public final class Json {
    private Json() {}

    /** JSON: records supported, unknown keys rejected, {@link ConfigEnum}s by id, pretty-printed output. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new ConfigEnumModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    /** YAML for configs: the same rules as {@link #MAPPER}, without the leading "---". */
    public static final ObjectMapper YAML = YAMLMapper.builder(
                    YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build())
            .addModule(new ConfigEnumModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** Reads a JSON file into {@code type}. */
    public static <T> T read(Path file, Class<T> type) {
        return readWith(MAPPER, file, type);
    }

    /** Reads a JSON file as a tree. */
    public static JsonNode readTree(Path file) {
        return readWith(MAPPER, file, JsonNode.class);
    }

    /** Reads a YAML file into {@code type}. */
    public static <T> T readYaml(Path file, Class<T> type) {
        return readWith(YAML, file, type);
    }

    /** Reads a YAML file as a tree. */
    public static JsonNode readYamlTree(Path file) {
        return readWith(YAML, file, JsonNode.class);
    }

    /**
     * Converts an already-parsed tree (say, one section of a config) into {@code type}; errors name
     * {@code file}, and the key's line when the file is YAML or JSON.
     */
    public static <T> T convert(JsonNode tree, Class<T> type, Path file) {
        return convert(tree, type, file, "");
    }

    /**
     * Converts {@code tree}, a section of {@code file} found at the dotted key path {@code at} (say,
     * {@code autoencoder} of a run config; "" for the whole file), into {@code type}. Errors name the
     * key by its full path in the file and, for a YAML or JSON file, its line.
     */
    public static <T> T convert(JsonNode tree, Class<T> type, Path file, String at) {
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw toInputException(file, e, at, readerFor(file));
        } catch (IllegalArgumentException e) {
            throw InputException.inFile(file, (at.isEmpty() ? "" : "in '" + at + "': ") + e.getMessage(), e);
        }
    }

    /**
     * Layers {@code over} onto {@code into}, the way every config here is built from defaults, a file
     * and flags: nested mappings merge key by key; lists and scalars replace.
     *
     * @return {@code into}, changed in place
     */
    public static ObjectNode merge(ObjectNode into, JsonNode over) {
        if (over == null || over.isNull() || over.isMissingNode()) {
            return into;
        }
        for (Map.Entry<String, JsonNode> e : over.properties()) {
            JsonNode old = into.get(e.getKey());
            if (old instanceof ObjectNode o && e.getValue().isObject()) {
                merge(o, e.getValue());
            } else {
                into.set(e.getKey(), e.getValue());
            }
        }
        return into;
    }

    /** Writes {@code value} as pretty-printed JSON, atomically. */
    public static void write(Path file, Object value) throws IOException {
        AtomicFiles.writeBytes(file, MAPPER.writeValueAsBytes(value));
    }

    /** Writes {@code value} as YAML, atomically. */
    public static void writeYaml(Path file, Object value) throws IOException {
        AtomicFiles.writeBytes(file, YAML.writeValueAsBytes(value));
    }

    private static <T> T readWith(ObjectMapper mapper, Path file, Class<T> type) {
        String expected = mapper == YAML ? "a YAML file" : "a JSON file";
        InputFiles.requireFile(file, expected);
        try {
            T value = mapper.readValue(file.toFile(), type);
            if (value == null) {
                throw InputException.inFile(file, "file is empty");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw toInputException(file, e, "", mapper);
        } catch (IOException e) {
            throw InputFiles.fault(file, e, expected);
        }
    }

    /**
     * One line per kind of Jackson failure: unknown key, wrong type, rejected value, bad syntax.
     *
     * @param at the dotted key path of the converted tree inside {@code file} ("" for all of it)
     * @param reader the mapper that can parse {@code file} again to find a key's line, or null
     */
    static InputException toInputException(Path file, JsonProcessingException e, String at, ObjectMapper reader) {
        if (e instanceof UnrecognizedPropertyException u) {
            List<String> keys = keys(at, u);
            if (keys.isEmpty() || !keys.get(keys.size() - 1).equals(u.getPropertyName())) {
                keys.add(u.getPropertyName());
            }
            String near = nearMiss(u.getPropertyName(), u.getKnownPropertyIds());
            return InputException.inFile(file, "unknown key '" + dotted(keys) + "'" + lineOf(file, e, keys, reader)
                    + (near != null ? " (did you mean '" + near + "'?)" : known(u.getKnownPropertyIds())), e);
        }
        if (e instanceof ValueInstantiationException v) {
            // A record constructor rejected the values: its message already says what to change.
            Throwable cause = v.getCause() != null ? v.getCause() : v;
            String key = dotted(keys(at, v));
            return InputException.inFile(file, (key.isEmpty() ? "" : "in '" + key + "': ") + cause.getMessage(), e);
        }
        if (e instanceof InvalidFormatException f) {
            List<String> keys = keys(at, f);
            return InputException.inFile(file, "bad value '" + f.getValue() + "' for '" + dotted(keys) + "'"
                    + lineOf(file, e, keys, reader) + ", expected " + expected(f.getTargetType()), e);
        }
        if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            List<String> keys = keys(at, m);
            return InputException.inFile(file, "bad value for '" + dotted(keys) + "'" + lineOf(file, e, keys, reader)
                    + ": " + firstLine(m.getOriginalMessage()), e);
        }
        return InputException.inFile(file, "not valid" + where(e.getLocation()) + ": "
                + firstLine(e.getOriginalMessage()), e);
    }

    /**
     * The known key that {@code key} is another spelling of: the same letters and digits up to case,
     * underscores and dashes ({@code chMult}, {@code ch-mult} and {@code CH_MULT} all give
     * {@code ch_mult}); null if none.
     */
    static String nearMiss(String key, Collection<?> known) {
        if (key == null || known == null) {
            return null;
        }
        String bare = bare(key);
        for (Object k : known) {
            String name = String.valueOf(k);
            if (!name.equals(key) && bare(name).equals(bare)) {
                return name;
            }
        }
        return null;
    }

    private static String bare(String key) {
        return key.replace("_", "").replace("-", "").toLowerCase(java.util.Locale.ROOT);
    }

    /** The mapper that parses {@code file} by its extension, to find a key's line; null for neither. */
    private static ObjectMapper readerFor(Path file) {
        Path leaf = file.getFileName();
        String name = leaf == null ? "" : leaf.toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return YAML;
        }
        return name.endsWith(".json") ? MAPPER : null;
    }

    /**
     * The line where the key at {@code keys} is written. Jackson reports where the parser stood when
     * it failed, which for records is the end of the object (they are built only once all of it has
     * been read), and a tree converted after parsing has no lines at all, so we find the key again by
     * walking the file's tokens.
     */
    private static String lineOf(Path file, JsonProcessingException e, List<String> keys, ObjectMapper reader) {
        StringBuilder pointer = new StringBuilder();
        for (String k : keys) {
            pointer.append('/').append(k.replace("~", "~0").replace("/", "~1"));
        }
        JsonPointer target = JsonPointer.compile(pointer.toString());
        if (reader != null && Files.isRegularFile(file)) {
            try (JsonParser p = reader.getFactory().createParser(file.toFile())) {
                for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                    if (t == JsonToken.FIELD_NAME && p.getParsingContext().pathAsPointer().equals(target)) {
                        return where(p.currentTokenLocation());
                    }
                }
            } catch (IOException | RuntimeException ignored) {
                // Fall through: a line number is a courtesy, the message stands without it.
            }
        }
        return where(e.getLocation());
    }

    private static String where(JsonLocation loc) {
        return loc == null || loc.getLineNr() <= 0 ? "" : " at line " + loc.getLineNr();
    }

    /** The key path of a mapping failure after the prefix {@code at}; a list index is a key of its own. */
    private static List<String> keys(String at, JsonMappingException e) {
        List<String> keys = new ArrayList<>();
        if (!at.isEmpty()) {
            keys.addAll(List.of(at.split("\\.")));
        }
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                keys.add(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                keys.add(String.valueOf(r.getIndex()));
            }
        }
        return keys;
    }

    /** Dotted key path such as {@code autoencoder.betta} or {@code chMult.2}. */
    private static String dotted(List<String> keys) {
        return String.join(".", keys);
    }

    /** What a value of {@code type} looks like: "int", or "one of linear, scaled-linear, cosine" for an enum. */
    private static String expected(Class<?> type) {
        if (type != null && ConfigEnum.class.isAssignableFrom(type) && type.isEnum()) {
            return "one of " + ConfigEnum.ids(type);
        }
        if (type != null && type.isEnum()) {
            return "one of " + java.util.Arrays.stream(type.getEnumConstants()).map(String::valueOf)
                    .collect(Collectors.joining(", "));
        }
        return type == null ? "another value" : type.getSimpleName();
    }

    private static String known(Collection<Object> ids) {
        if (ids == null || ids.isEmpty()) {
            return "";
        }
        return " (known keys: " + ids.stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ")";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
