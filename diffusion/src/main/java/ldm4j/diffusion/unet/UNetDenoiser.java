package ldm4j.diffusion.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.Objects;
import ldm4j.diffusion.sampler.Denoiser;

/**
 * A {@link UNet} as the samplers see it: inference mode (no dropout), the weights the model holds
 * at call time. Sampling uses the EMA weights (DDPM, Ho et al. 2020, §4): load {@code ema.safetensors}
 * into the UNet, or {@code Ema.swap} them in for the duration, before sampling.
 *
 * <p>For a class-conditional UNet, {@code classLabels == null} means the null class for every
 * sample (unconditional sampling of a CFG-trained model).
 */
public final class UNetDenoiser implements Denoiser {
    private final UNet unet;
    private final ParameterStore ps;

    /**
     * @param unet an initialised UNet
     * @param manager any manager on the UNet's device (the parameter store only reads through it)
     */
    public UNetDenoiser(UNet unet, NDManager manager) {
        this.unet = Objects.requireNonNull(unet, "unet");
        this.ps = new ParameterStore(manager, false);
    }

    /** The wrapped UNet. */
    public UNet unet() {
        return unet;
    }

    @Override
    public NDArray predict(NDArray xt, NDArray t, NDArray classLabels) {
        return unet.forward(ps, xt, t, classLabels, false);
    }
}
