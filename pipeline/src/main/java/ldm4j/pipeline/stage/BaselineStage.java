package ldm4j.pipeline.stage;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Path;
import ldm4j.core.data.DatasetInfo;

/**
 * A pixel-space VAE baseline: an autoencoder trained as a textbook VAE (β = 1 by default) and
 * sampled from its N(0, I) prior, scored by the same metrics as latent diffusion. A run may hold
 * several, each with its own key and folder (conv latent, dense latent, other β).
 */
public final class BaselineStage {
    private BaselineStage() {}

    /**
     * One baseline.
     *
     * @param key its name in the evaluation ({@code vae_prior})
     * @param autoencoder what its autoencoder is trained from, and where
     * @param samples where its prior samples go
     * @param count prior samples in all
     * @param batchSize samples per decoder batch
     * @param seed batch b's noise comes from seed + b
     * @param gridCount samples shown in {@code grid.png}
     */
    public record Input(String key, AutoencoderStage.Input autoencoder, Path samples, int count, int batchSize,
            long seed, int gridCount) {}

    /**
     * Trains the baseline's autoencoder (continuing an interrupted training, or keeping one already
     * trained), then samples its prior at the data's image size.
     */
    public static SampleStage.Output run(Input in, Device device) throws IOException {
        AutoencoderStage.Output ae = AutoencoderStage.trainOrContinue(in.autoencoder(), device);
        DatasetInfo info = in.autoencoder().data().info();
        SampleStage.VaePrior prior = new SampleStage.VaePrior(ae.checkpoint(), info.height(), info.width(), in.count(),
                in.batchSize(), in.seed());
        return SampleStage.run(prior, "sample vae-prior", in.samples(), null, in.gridCount(), device);
    }
}
