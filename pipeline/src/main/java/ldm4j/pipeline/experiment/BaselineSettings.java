package ldm4j.pipeline.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The pixel-space VAE baseline: an autoencoder with the same architecture, trained as a textbook
 * VAE (β = 1, Gaussian NLL) and sampled from its N(0, I) prior, scored by the same metrics.
 *
 * @param enabled whether the run trains and scores it
 * @param autoencoder keys that replace the main autoencoder section's for the baseline; by default
 *     β = 1 and loss nll
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BaselineSettings(boolean enabled, JsonNode autoencoder) {
    public BaselineSettings {
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

    static BaselineSettings defaults() {
        return new BaselineSettings(true, null);
    }
}
