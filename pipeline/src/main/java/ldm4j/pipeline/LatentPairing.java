package ldm4j.pipeline;

import java.util.Locale;
import ldm4j.autoencoder.train.AutoencoderCheckpoint;
import ldm4j.core.InputException;
import ldm4j.core.io.WeightsHash;
import ldm4j.diffusion.train.DiffusionCheckpoint;
import ldm4j.diffusion.unet.UNetConfig;

/**
 * Whether a latent UNet may be sampled through an autoencoder's decoder: only through the autoencoder
 * that encoded the latents it was trained on, since its samples live in that latent space, at that
 * autoencoder's scale.
 *
 * <p>"The same autoencoder" means the same weights. The latents' header records the SHA-256 of the
 * encoding autoencoder's weights ({@link AutoencoderCheckpoint#weightsSha256()}), and the UNet's
 * sidecar records it from there, so the check needs neither the latents directory nor any path: a
 * run that was moved, or whose latents were deleted, is checked the same. The scale factor itself is
 * the autoencoder checkpoint's (its one source); matching weights make it the one the UNet was
 * trained with.
 *
 * <p>A UNet checkpoint written before ldm4j recorded the hash (e.g. by 08357af) is checked by the
 * scale factor its sidecar recorded instead: 1/std of the latents fingerprints the encoder, as the
 * check did before, but now without reading the latents directory. A UNet with neither is accepted.
 */
public final class LatentPairing {
    private LatentPairing() {}

    /**
     * Refuses a pair that does not belong together: a pixel-space diffusion model; a UNet whose input
     * channels are not the autoencoder's latent channels; a UNet trained on latents of another
     * autoencoder (another weights hash, or for old checkpoints another scale factor).
     *
     * @throws InputException one line naming both checkpoints and what differs
     */
    public static void requireMatch(AutoencoderCheckpoint autoencoder, DiffusionCheckpoint diffusion) {
        if (!diffusion.latent()) {
            throw new InputException(diffusion.dir() + " is a pixel-space diffusion model; it needs no autoencoder "
                    + "(sample it without --ae)");
        }
        int z = autoencoder.model().config().zChannels();
        UNetConfig model = diffusion.config().model();
        long[] shape = diffusion.state().shape();
        if (model.inChannels() != z || shape[0] != z) {
            throw new InputException("the UNet in " + diffusion.dir() + " takes " + model.inChannels() + "×"
                    + shape[1] + "×" + shape[2] + " latents, but the autoencoder in " + autoencoder.dir() + " makes "
                    + z + "-channel latents; pair the diffusion run with the autoencoder that encoded its latents");
        }
        String recorded = diffusion.state().autoencoderSha256();
        if (recorded != null) {
            String actual = autoencoder.weightsSha256();
            if (!recorded.equals(actual)) {
                throw new InputException("the UNet in " + diffusion.dir() + " was trained on latents of another "
                        + "autoencoder (weights sha256 " + WeightsHash.shortForm(recorded) + ") than the one in "
                        + autoencoder.dir() + " (weights sha256 " + WeightsHash.shortForm(actual)
                        + "); pair it with the autoencoder that encoded its latents");
            }
            return;
        }
        Double legacy = diffusion.info().scaleFactor();
        if (legacy != null) {
            double scale = autoencoder.scaleFactor();
            if (Math.abs(legacy - scale) > 1e-9 * Math.abs(scale)) {
                throw new InputException(String.format(Locale.ROOT, "the UNet in %s was trained on latents of "
                        + "scale factor %.6g, but the autoencoder in %s has scale factor %.6g: it did not encode "
                        + "them; pair the UNet with the autoencoder that did", diffusion.dir(), legacy,
                        autoencoder.dir(), scale));
            }
        }
    }
}
