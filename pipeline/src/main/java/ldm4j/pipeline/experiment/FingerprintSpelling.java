package ldm4j.pipeline.experiment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import ldm4j.autoencoder.train.AutoencoderTrainConfig;
import ldm4j.core.io.Json;

/**
 * The autoencoder config as a stage fingerprint hashes it: spelled as ldm4j wrote it when
 * fingerprints were introduced, with the loss and the decay as Java constant names
 * ({@code "loss": "L1"}, {@code "lr_decay": "COSINE"}) and the gradient clip under its old key
 * {@code clip}. Configs now spell them {@code l1}, {@code cosine} and {@code grad_clip}; hashing the
 * old spelling keeps the fingerprints of runs made before that change, so {@code ldm4j run} does not
 * train their autoencoders again. The same values always give the same spelling, so a change of
 * value still changes the hash.
 */
final class FingerprintSpelling {
    private FingerprintSpelling() {}

    /** {@code config} as JSON, in the spelling fingerprints hash. */
    static ObjectNode autoencoder(AutoencoderTrainConfig config) {
        ObjectNode tree = Json.MAPPER.valueToTree(config);
        tree.put("loss", config.loss().name());
        tree.put("lr_decay", config.lrDecay().name());
        tree.set("clip", tree.remove("grad_clip"));
        return tree;
    }
}
