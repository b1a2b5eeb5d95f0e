package ldm4j.pipeline.report;

/**
 * One column of a report's results table: where its value sits in a run's {@code summary.json}
 * and what it means. The order here is the order of {@code results.csv}.
 *
 * <p>Adding a metric to the report is adding a constant: the CSV, the JSON and the HTML table all
 * follow this list.
 */
public enum ResultColumn {
    AE_LOSS("ae_loss", "/autoencoder/loss", "autoencoder likelihood", Kind.TEXT),
    AE_BETA("ae_beta", "/autoencoder/beta", "autoencoder β (nominal)", Kind.NUMBER),
    AE_BETA_EFFECTIVE("ae_beta_effective", "/autoencoder/betaEffective",
            "autoencoder β, effective (against the summed error)", Kind.NUMBER),
    AE_NEG_ELBO_BPD("ae_neg_elbo_bpd", "/autoencoder/test/negElboBitsPerDim", "negative ELBO (bits/dim)",
            Kind.NUMBER),
    AE_PSNR("ae_psnr_db", "/autoencoder/test/psnr", "reconstruction PSNR (dB) ↑", Kind.NUMBER),
    AE_SSIM("ae_ssim", "/autoencoder/test/ssim", "reconstruction SSIM ↑", Kind.NUMBER),
    RATE_BITS("rate_bits_per_image", "/autoencoder/test/rateBitsPerImage", "rate (bits/image)", Kind.NUMBER),
    RATE_BITS_PER_ELEMENT("rate_bits_per_element", "/autoencoder/test/rateBitsPerElement",
            "rate (bits/latent element)", Kind.NUMBER),
    ACTIVE_FRACTION("active_fraction", "/autoencoder/test/activeFraction", "active latent units", Kind.NUMBER),
    SCALE_FACTOR("scale_factor", "/autoencoder/scaleFactor", "latent scale factor", Kind.NUMBER),
    AE_RFD("ae_rfd", "/eval/reconstruction_fd/autoencoder", "reconstruction FD (rFD) ↓", Kind.NUMBER),
    LATENT_STD("latent_std_unscaled", "/latent_geometry/unscaledStd", "latent std before scaling", Kind.NUMBER),
    LATENT_KURTOSIS("latent_excess_kurtosis", "/latent_geometry/excessKurtosis",
            "scaled latents' excess kurtosis (0 = Gaussian)", Kind.NUMBER),
    LATENT_KL("latent_kl_to_normal", "/latent_geometry/klToNormal", "KL(scaled latents' histogram ‖ N(0, 1)), nats",
            Kind.NUMBER),
    LDM_FD("ldm_fd", "/eval/ldm/fd", "latent diffusion FD ↓", Kind.NUMBER),
    LDM_FD_LOW("ldm_fd_low", "/eval/ldm/fdLow", "its 95% interval, low", Kind.NUMBER),
    LDM_FD_HIGH("ldm_fd_high", "/eval/ldm/fdHigh", "its 95% interval, high", Kind.NUMBER),
    LDM_PRECISION("ldm_precision", "/eval/ldm/precision", "latent diffusion precision ↑", Kind.NUMBER),
    LDM_RECALL("ldm_recall", "/eval/ldm/recall", "latent diffusion recall ↑", Kind.NUMBER),
    LDM_CLASS_ACCURACY("ldm_class_accuracy", "/eval/ldm/classAccuracy", "latent diffusion class accuracy ↑",
            Kind.NUMBER),
    LDM_UNPLACEABLE("ldm_unplaceable", "/eval/ldm/unplaceableShare", "latent diffusion unplaceable ↓", Kind.NUMBER),
    LDM_SHARPNESS("ldm_sharpness", "/eval/ldm/sharpness", "latent diffusion sharpness (1 = real)", Kind.NUMBER),
    AE_PRIOR_FD("ae_prior_fd", "/eval/autoencoder_prior/fd", "compressor's own prior FD ↓", Kind.NUMBER),
    AE_PRIOR_FD_LOW("ae_prior_fd_low", "/eval/autoencoder_prior/fdLow", "its 95% interval, low", Kind.NUMBER),
    AE_PRIOR_FD_HIGH("ae_prior_fd_high", "/eval/autoencoder_prior/fdHigh", "its 95% interval, high", Kind.NUMBER),
    AE_PRIOR_UNPLACEABLE("ae_prior_unplaceable", "/eval/autoencoder_prior/unplaceableShare",
            "compressor's own prior unplaceable ↓", Kind.NUMBER),
    VAE_LOSS("vae_loss", "/baseline_autoencoder/loss", "VAE likelihood", Kind.TEXT),
    VAE_BETA("vae_beta", "/baseline_autoencoder/beta", "VAE β (nominal)", Kind.NUMBER),
    VAE_BETA_EFFECTIVE("vae_beta_effective", "/baseline_autoencoder/betaEffective",
            "VAE β, effective (against the summed error)", Kind.NUMBER),
    VAE_NEG_ELBO_BPD("vae_neg_elbo_bpd", "/baseline_autoencoder/test/negElboBitsPerDim",
            "VAE negative ELBO (bits/dim)", Kind.NUMBER),
    VAE_PSNR("vae_psnr_db", "/baseline_autoencoder/test/psnr", "VAE reconstruction PSNR (dB) ↑", Kind.NUMBER),
    VAE_RFD("vae_rfd", "/eval/reconstruction_fd/baseline", "VAE reconstruction FD (rFD) ↓", Kind.NUMBER),
    VAE_RATE_BITS("vae_rate_bits_per_image", "/baseline_autoencoder/test/rateBitsPerImage", "VAE rate (bits/image)",
            Kind.NUMBER),
    VAE_FD("vae_prior_fd", "/eval/vae_prior/fd", "VAE prior FD ↓", Kind.NUMBER),
    VAE_FD_LOW("vae_prior_fd_low", "/eval/vae_prior/fdLow", "its 95% interval, low", Kind.NUMBER),
    VAE_FD_HIGH("vae_prior_fd_high", "/eval/vae_prior/fdHigh", "its 95% interval, high", Kind.NUMBER),
    VAE_PRECISION("vae_prior_precision", "/eval/vae_prior/precision", "VAE prior precision ↑", Kind.NUMBER),
    VAE_RECALL("vae_prior_recall", "/eval/vae_prior/recall", "VAE prior recall ↑", Kind.NUMBER),
    VAE_UNPLACEABLE("vae_prior_unplaceable", "/eval/vae_prior/unplaceableShare", "VAE prior unplaceable ↓",
            Kind.NUMBER),
    VAE_SHARPNESS("vae_prior_sharpness", "/eval/vae_prior/sharpness", "VAE prior sharpness (1 = real)", Kind.NUMBER),
    PROGRESS_FD_25("fd_at_25pct", "/progress_fd/25", "FD at 25% of the UNet's training ↓", Kind.NUMBER),
    PROGRESS_FD_50("fd_at_50pct", "/progress_fd/50", "FD at 50% of the UNet's training ↓", Kind.NUMBER),
    PROGRESS_FD_75("fd_at_75pct", "/progress_fd/75", "FD at 75% of the UNet's training ↓", Kind.NUMBER),
    UNET_STEPS("unet_steps", "/unet_budget/measured/steps", "UNet steps the budget bought", Kind.WALL_TIME),
    UNET_IMAGES_PER_SECOND("unet_train_images_per_second", "/unet_budget/measured/images_per_second",
            "UNet training (img/s, measured)", Kind.WALL_TIME),
    SAMPLING_IMAGES_PER_SECOND("sampling_images_per_second", "/sampling/images_per_second", "sampling (img/s)",
            Kind.WALL_TIME),
    SECONDS_PER_SAMPLE("seconds_per_sample", "/sampling/seconds_per_sample", "cost per sample (s/image, sampling)",
            Kind.WALL_TIME),
    AE_TRAIN_SECONDS("ae_train_seconds", "/autoencoder/trainSeconds", "autoencoder training (s)", Kind.WALL_TIME),
    DIFFUSION_SECONDS("diffusion_seconds", "/stage_seconds/diffusion", "diffusion stage (s)", Kind.WALL_TIME),
    TOTAL_SECONDS("total_seconds", "/total_seconds", "whole run (s)", Kind.WALL_TIME),
    MAX_STAGE_PEAK_RSS("max_stage_peak_rss_mib", "/max_stage_peak_rss_mib", "highest stage peak RSS (MiB)",
            Kind.WALL_TIME);

    /** What a column holds, and whether two runs of one config may differ in it. */
    public enum Kind {
        NUMBER,
        TEXT,
        /** Measured cost (seconds, memory): differs between machines and between two runs. */
        WALL_TIME
    }

    private final String id;
    private final String pointer;
    private final String title;
    private final Kind kind;

    ResultColumn(String id, String pointer, String title, Kind kind) {
        this.id = id;
        this.pointer = pointer;
        this.title = title;
        this.kind = kind;
    }

    /** The column's name in results.csv and results.json. */
    public String id() {
        return id;
    }

    /** JSON pointer (RFC 6901) of the value in a run's summary.json. */
    public String pointer() {
        return pointer;
    }

    /** The header a person reads in the HTML table. */
    public String title() {
        return title;
    }

    public Kind kind() {
        return kind;
    }
}
