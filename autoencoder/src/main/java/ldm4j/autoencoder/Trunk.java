package ldm4j.autoencoder;

import java.util.Locale;
import ldm4j.core.io.ConfigEnum;

/**
 * What sits between the image and a {@link LatentKind#DENSE dense} latent: {@code trunk} in a model
 * config. Written in the JSON only when it is not {@link #CONV}.
 */
public enum Trunk implements ConfigEnum {
    /** The convolutional {@link Encoder} and {@link Decoder} of the conv variant. */
    CONV,
    /**
     * None: the dense head acts on the flattened image, so encoder and decoder are each one linear
     * layer, the linear-Gaussian model of probabilistic PCA (Tipping &amp; Bishop 1999). {@code ch},
     * {@code ch_mult}, {@code num_res_blocks}, {@code z_channels}, {@code attention} and {@code dropout}
     * are then unused. Only with {@code latent: dense}.
     */
    NONE;

    /** The name in configs and on the command line: {@code conv}, {@code dense}, {@code none}. */
    @Override
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
