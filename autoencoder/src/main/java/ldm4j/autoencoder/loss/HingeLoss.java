package ldm4j.autoencoder.loss;

import ai.djl.ndarray.NDArray;
import ldm4j.core.nn.Scalars;

/**
 * The hinge GAN losses LDM uses (Lim &amp; Ye 2017, "Geometric GAN"; Miyato et al. 2018, eq. 16–17),
 * on patch logits of any shape.
 */
public final class HingeLoss {
    private HingeLoss() {}

    /**
     * Discriminator loss {@code ½ (mean relu(1 − D(x)) + mean relu(1 + D(x̂)))} (LDM's {@code
     * hinge_d_loss}); 0 once real logits are ≥ 1 and fake ones ≤ −1.
     *
     * @param real logits of real images
     * @param fake logits of reconstructions (detached from the autoencoder)
     * @return a scalar in {@code real}'s manager
     */
    public static NDArray discriminator(NDArray real, NDArray fake) {
        NDArray lossReal = Scalars.maximum(real.neg().add(1f), 0).mean();
        NDArray lossFake = Scalars.maximum(fake.add(1f), 0).mean();
        return Scalars.mul(lossReal.add(lossFake), 0.5);
    }

    /** Generator loss {@code −mean D(x̂)}: the autoencoder is rewarded for fooling D. */
    public static NDArray generator(NDArray fake) {
        return fake.mean().neg();
    }
}
