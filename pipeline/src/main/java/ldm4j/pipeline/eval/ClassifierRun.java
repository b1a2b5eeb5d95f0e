package ldm4j.pipeline.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import ldm4j.core.io.Json;

/**
 * The resolved config a classifier checkpoint stores ({@code checkpoint.json → config}): the network,
 * how it was trained and on what.
 *
 * @param model the network's shape
 * @param training the training recipe
 * @param data the dataset it was trained on
 */
public record ClassifierRun(ClassifierConfig model, ClassifierTrainingConfig training, DatasetFingerprint data) {
    /**
     * First 12 hex digits of sha256 over the JSON of {@code model} and {@code training}: the part of a
     * cached network's folder name that changes when the network or its recipe does.
     */
    public static String recipeHash(ClassifierConfig model, ClassifierTrainingConfig training) {
        try {
            String json = Json.MAPPER.writeValueAsString(model) + "\n" + Json.MAPPER.writeValueAsString(training);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 12);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash classifier config", e);
        }
    }
}
