package ldm4j.core.io;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The JSON sidecar of a checkpoint ({@code checkpoint.json}): everything but the tensors.
 *
 * @param kind what the tensors are, e.g. "autoencoder", "unet", "classifier"; a loader checks it
 * @param config the model's resolved config, as JSON (any Jackson-serialisable record fits)
 * @param step the number of optimiser steps taken
 * @param metrics named scalars at this step (loss, PSNR, ...), possibly empty
 * @param scaleFactor an autoencoder's latent scale factor (1/std of its latents): the one source of it,
 *     which latents copy beside the hash of the autoencoder's weights. Null elsewhere, except in a
 *     UNet trained on latents that recorded no such hash (and in UNets written by ldm4j before it
 *     recorded one), where it is the fingerprint sampling checks the autoencoder by
 * @param state other trainer state needed to resume (e.g. data order: epoch and shuffle seed), or null
 * @param provenance where the checkpoint came from
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Checkpoint(
        String kind,
        JsonNode config,
        long step,
        Map<String, Double> metrics,
        Double scaleFactor,
        JsonNode state,
        Provenance provenance) {

    public Checkpoint {
        if (kind == null || kind.isBlank()) {
            throw new IllegalArgumentException("kind must not be blank");
        }
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(provenance, "provenance");
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        // Keep the caller's order (a LinkedHashMap reads best in the JSON), but no later edits.
        metrics = metrics == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        if (scaleFactor != null && !(scaleFactor > 0 && Double.isFinite(scaleFactor))) {
            throw new IllegalArgumentException("scaleFactor must be finite and > 0, got " + scaleFactor);
        }
    }

    /** A sidecar for {@code config} (a record or any Jackson-serialisable object) with no extra state. */
    public static Checkpoint of(
            String kind, Object config, long step, Map<String, Double> metrics, Double scaleFactor, Provenance p) {
        return new Checkpoint(kind, Json.MAPPER.valueToTree(config), step, metrics, scaleFactor, null, p);
    }

    /** The same sidecar with resume state attached. */
    public Checkpoint withState(Object state) {
        return new Checkpoint(kind, config, step, metrics, scaleFactor, Json.MAPPER.valueToTree(state), provenance);
    }

    /** The config as {@code type}; {@code file} names the sidecar in the error if it does not fit. */
    public <T> T config(Class<T> type, Path file) {
        return Json.convert(config, type, file);
    }
}
