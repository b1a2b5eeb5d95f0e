package ldm4j.pipeline.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import ldm4j.autoencoder.train.AutoencoderTrainConfig;
import ldm4j.core.io.Json;

/**
 * An autoencoder section of a run config ({@code autoencoder:}, or a baseline's), resolved once when
 * the file is read: the validated training config, and the keys the file gave (a baseline layers its
 * changes on them).
 *
 * <p>The config is resolved before the data is opened, so its {@code model.in_channels} is the
 * defaults' until {@link #forData} sets the dataset's (unless the file sets it).
 *
 * @param config the training config, defaults filled in
 * @param keys the section's keys as given (the run's seed filled in when it sets none)
 */
public record AutoencoderSection(AutoencoderTrainConfig config, JsonNode keys) {
    public AutoencoderSection {
        Objects.requireNonNull(config, "config");
        keys = Objects.requireNonNull(keys, "keys").deepCopy();
    }

    /** The config with the dataset's channels as the model's input channels, unless the section gave them. */
    public AutoencoderTrainConfig forData(int channels) {
        if (keys.path("model").has("in_channels") || config.model().inChannels() == channels) {
            return config;
        }
        ObjectNode tree = Json.MAPPER.valueToTree(config);
        ((ObjectNode) tree.get("model")).put("in_channels", channels);
        return Json.MAPPER.convertValue(tree, AutoencoderTrainConfig.class);
    }
}
