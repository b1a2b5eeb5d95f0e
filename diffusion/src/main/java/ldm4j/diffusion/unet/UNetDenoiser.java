package ldm4j.diffusion.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.Objects;
import ldm4j.core.nn.Chunked;
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
    /** The fewest samples per UNet call ({@link Chunked#mapAll}); 32 latents of 8×8 take about 200 MiB. */
    public static final int ROWS = 32;

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

    /**
     * The UNet's prediction, {@link #ROWS} samples at a time ({@link Chunked}): a sampler step over a
     * large batch (doubled again by classifier-free guidance) then holds one slice's activations, not
     * the whole batch's. The result equals one call on the whole batch.
     */
    @Override
    public NDArray predict(NDArray xt, NDArray t, NDArray classLabels) {
        NDList in = classLabels == null ? new NDList(xt, t) : new NDList(xt, t, classLabels);
        return Chunked.mapAll(in, ROWS, s -> new NDList(unet.forward(ps, s.get(0), s.get(1),
                s.size() > 2 ? s.get(2) : null, false))).singletonOrThrow();
    }
}
