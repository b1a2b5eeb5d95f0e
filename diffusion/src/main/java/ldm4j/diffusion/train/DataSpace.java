package ldm4j.diffusion.train;

/** Where the diffusion model works: on an autoencoder's latents (LDM) or on pixels (f = 1). */
public enum DataSpace {
    /** Scaled latents from {@code ldm4j encode} (Rombach et al. 2022, §3). */
    LATENT("latent"),
    /** Images in [-1, 1], the pixel-space baseline (Ho et al. 2020). */
    PIXEL("pixel");

    private final String id;

    DataSpace(String id) {
        this.id = id;
    }

    /** The name written to checkpoints. */
    public String id() {
        return id;
    }
}
