package ldm4j.pipeline.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import ldm4j.autoencoder.train.AutoencoderTrainConfig;
import ldm4j.core.io.Json;
import ldm4j.core.train.GivenKeys;
import ldm4j.diffusion.train.DiffusionTrainConfig;

/** Turns a run config's stage sections into the stages' own validated training configs. */
final class StageConfigs {
    private StageConfigs() {}

    /**
     * The autoencoder's defaults for {@code channels}, overridden by {@code section}, which sits at the
     * key path {@code at} of {@code source} (named in errors, e.g. {@code autoencoder.model.ch_mult}).
     */
    static AutoencoderTrainConfig autoencoder(int channels, JsonNode section, Path source, String at) {
        return AutoencoderTrainConfig.resolve(AutoencoderTrainConfig.defaults(channels), section, source, at);
    }

    /** {@code base}'s keys, then {@code over}'s (the baseline's changes to the main autoencoder). */
    static ObjectNode layered(JsonNode base, JsonNode over) {
        return Json.merge(((ObjectNode) base).deepCopy(), over);
    }

    /**
     * The baseline's section: the main {@code autoencoder} section with {@code baseline.autoencoder}'s
     * changes on top. The main section is checked on its own first, so an error in the layered one
     * comes from the changes and is reported under {@code baseline.autoencoder}.
     */
    static ObjectNode baseline(int channels, JsonNode main, JsonNode changes, Path source) {
        // Quiet: a shortened warm-up of the main section is reported once, when that stage resolves it.
        AutoencoderTrainConfig.resolve(AutoencoderTrainConfig.defaults(channels),
                GivenKeys.section(source, main, "autoencoder").quiet());
        return layered(main, changes);
    }

    /** The diffusion defaults overridden by {@code section}. */
    static DiffusionTrainConfig diffusion(JsonNode section, Path source) {
        return DiffusionTrainConfig.resolve(section, source, "diffusion");
    }
}
