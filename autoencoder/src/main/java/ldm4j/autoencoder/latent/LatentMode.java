package ldm4j.autoencoder.latent;

import java.util.Locale;

/** Which latent {@link LatentEncoder} stores for each image. */
public enum LatentMode {
    /** The posterior mean E_q[z]: deterministic, LDM's {@code mode()}; the default. */
    MEAN,
    /** One posterior sample {@code mean + std·ε}, ε seeded per batch (LDM's {@code sample()}). */
    SAMPLE;

    /** The lower-case name written into the latent header ("mean", "sample"). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
