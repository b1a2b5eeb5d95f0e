package ldm4j.autoencoder;

import java.util.Locale;
import ldm4j.core.io.ConfigEnum;

/**
 * What the autoencoder's latent is: {@code latent} in a model config. Written in the JSON only when
 * it is not {@link #CONV}, so every config made before the key existed reads, and fingerprints, the
 * same.
 */
public enum LatentKind implements ConfigEnum {
    /**
     * A spatial map (z_channels, H/f, W/f), one Gaussian per element: LDM's compressor, and the latent
     * the UNet of stage 2 is trained on.
     */
    CONV,
    /**
     * A vector of {@code latent_dim} Gaussians (Kingma &amp; Welling's VAE): the trunk's map is
     * flattened and mapped by a linear layer to the posterior's moments, and a linear layer maps z
     * back to a map for the decoder trunk. It has no spatial structure, so it cannot feed the UNet.
     */
    DENSE;

    /** The name in configs and on the command line: {@code conv}, {@code dense}, {@code none}. */
    @Override
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
