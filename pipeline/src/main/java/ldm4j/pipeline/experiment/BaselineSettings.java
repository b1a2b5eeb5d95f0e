package ldm4j.pipeline.experiment;

/**
 * The pixel-space VAE baseline: an autoencoder with the same architecture, trained as a textbook
 * VAE (β = 1, Gaussian NLL) and sampled from its N(0, I) prior, scored by the same metrics.
 *
 * <p>In YAML, {@code baseline.autoencoder} holds keys that replace the main autoencoder section's for
 * the baseline; by default β = 1 and loss nll.
 *
 * @param enabled whether the run trains and scores it
 * @param autoencoder the baseline's autoencoder section: the main one with the baseline's changes on
 *     top, resolved; null when the baseline is off
 */
public record BaselineSettings(boolean enabled, AutoencoderSection autoencoder) {
    public BaselineSettings {
        if (enabled && autoencoder == null) {
            throw new IllegalArgumentException("an enabled baseline needs its autoencoder section");
        }
    }
}
