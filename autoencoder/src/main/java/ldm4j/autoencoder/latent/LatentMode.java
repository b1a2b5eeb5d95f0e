package ldm4j.autoencoder.latent;

import java.util.Locale;
import ldm4j.core.io.ConfigEnum;

/** Which latent {@link LatentEncoder} stores for each image. */
public enum LatentMode implements ConfigEnum {
    /** The posterior mean E_q[z]: deterministic, LDM's {@code mode()}; the default. */
    MEAN,
    /** One posterior sample {@code mean + std·ε}, ε seeded per batch (LDM's {@code sample()}). */
    SAMPLE;

    /** The lower-case name written into the latent header ("mean", "sample"). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The name used in configs and on the command line: the {@link #label()}. */
    @Override
    public String id() {
        return label();
    }
}
