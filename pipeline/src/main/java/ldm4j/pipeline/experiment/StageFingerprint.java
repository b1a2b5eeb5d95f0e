package ldm4j.pipeline.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import ldm4j.core.io.Json;

/**
 * What a stage's outputs were made from: its own resolved config and the fingerprints of the stages
 * it reads ({@link Stage#inputs()}). Two fingerprints with the same hash mean the stage would make
 * the same outputs again, so {@code ldm4j run} skips it; a different hash means a config key of this
 * stage or of a stage above it changed.
 *
 * <p>The hash is SHA-256 of canonical JSON: object keys in snake_case and sorted at every level,
 * no whitespace. Keys are snake_cased so that a config record's Java naming (camelCase or not) does
 * not change the hash of the same values.
 *
 * @param sha256 the hash of {@code config} and {@code inputs}, as hex
 * @param config the stage's own resolved config (what run-state.json shows, and what a change is
 *     described from)
 * @param inputs the hash of each stage it reads, by {@link Stage#id()}; {@value #OFF} for a stage the
 *     run leaves out
 */
public record StageFingerprint(String sha256, JsonNode config, Map<String, String> inputs) {
    /** The input hash of a stage the run leaves out (a disabled baseline). */
    static final String OFF = "off";

    /** At most this many changed keys are named in a description. */
    private static final int MAX_CHANGES = 4;

    public StageFingerprint {
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(config, "config");
        inputs = inputs == null ? Map.of() : new TreeMap<>(inputs);
    }

    /** The fingerprint of {@code config} read with the inputs hashed as {@code inputs}. */
    static StageFingerprint of(JsonNode config, Map<String, String> inputs) {
        JsonNode canonical = canonical(config);
        ObjectNode whole = Json.MAPPER.createObjectNode();
        whole.set("config", canonical);
        whole.set("inputs", Json.MAPPER.valueToTree(new TreeMap<>(inputs)));
        return new StageFingerprint(sha256(compact(whole)), canonical, inputs);
    }

    /** True when {@code other} was made from the same config and the same inputs. */
    boolean matches(StageFingerprint other) {
        return other != null && sha256.equals(other.sha256);
    }

    /**
     * What changed in the stage's own config since {@code before}, as {@code key old → new}, keys
     * dotted ({@code model.ch 32 → 64}), at most four of them then a count of the rest.
     */
    String changesSince(StageFingerprint before) {
        Map<String, String> was = new TreeMap<>();
        Map<String, String> now = new TreeMap<>();
        flatten("", before.config, was);
        flatten("", config, now);
        TreeSet<String> keys = new TreeSet<>(was.keySet());
        keys.addAll(now.keySet());
        List<String> changes = new ArrayList<>();
        for (String key : keys) {
            String a = was.getOrDefault(key, "(unset)");
            String b = now.getOrDefault(key, "(unset)");
            if (!a.equals(b)) {
                changes.add(key + " " + a + " → " + b);
            }
        }
        if (changes.size() > MAX_CHANGES) {
            int rest = changes.size() - MAX_CHANGES;
            changes = new ArrayList<>(changes.subList(0, MAX_CHANGES));
            changes.add("and " + rest + " more");
        }
        return String.join(", ", changes);
    }

    /** {@code node} with every object key snake_cased and sorted, numbers as JSON text reads them back. */
    static JsonNode canonical(JsonNode node) {
        try {
            // Through text, so a long or a float compares equal to the same value read from run-state.json.
            return Json.MAPPER.readTree(compact(sorted(node)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot re-read canonical JSON", e);
        }
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> fields = new TreeMap<>();
            node.properties().forEach(e -> fields.put(snakeCase(e.getKey()), sorted(e.getValue())));
            ObjectNode out = Json.MAPPER.createObjectNode();
            fields.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            var out = Json.MAPPER.createArrayNode();
            node.forEach(x -> out.add(sorted(x)));
            return out;
        }
        return node;
    }

    /** {@code batchSize} → {@code batch_size}; snake_case keys stay as they are. */
    static String snakeCase(String key) {
        StringBuilder sb = new StringBuilder(key.length() + 4);
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0 && key.charAt(i - 1) != '_') {
                    sb.append('_');
                }
                sb.append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> into) {
        if (node.isObject()) {
            node.properties().forEach(e -> flatten(prefix + e.getKey() + ".", e.getValue(), into));
        } else {
            String key = prefix.isEmpty() ? "(value)" : prefix.substring(0, prefix.length() - 1);
            into.put(key, node.isTextual() ? node.asText() : node.toString());
        }
    }

    private static String compact(JsonNode node) {
        try {
            return Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write canonical JSON", e);
        }
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
