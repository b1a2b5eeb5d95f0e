package ldm4j.autoencoder.loss;

import ai.djl.ndarray.NDArray;

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
        NDArray lossReal = real.neg().add(1f).maximum(0f).mean();
        NDArray lossFake = fake.add(1f).maximum(0f).mean();
        return lossReal.add(lossFake).mul(0.5f);
    }

    /** Generator loss {@code −mean D(x̂)}: the autoencoder is rewarded for fooling D. */
    public static NDArray generator(NDArray fake) {
        return fake.mean().neg();
    }
}
