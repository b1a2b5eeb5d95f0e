package ldm4j.autoencoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ldm4j.core.nn.Blocks;
import ldm4j.core.nn.Conv;

/**
 * LDM's {@code AutoencoderKL}: image → posterior over latents → reconstruction.
 *
 * <pre>
 * encode: x (N, C, H, W) → encoder → quant_conv (1×1, 2z → 2z) → DiagonalGaussian over (N, z, H/f, W/f)
 * decode: z (N, z, h, w) → post_quant_conv (1×1, z → z) → decoder → (N, C, h·f, w·f)
 * </pre>
 *
 * <p>Children in forward order: {@code encoder}, {@code quant_conv}, {@code post_quant_conv},
 * {@code decoder}; so parameter keys look like {@code 01encoder_03down0_block1_02conv1_weight} or
 * {@code 02quant_conv_weight}.
 *
 * <p>As a DJL {@link Block}, {@link #forward(ParameterStore, NDList, boolean, PairList)} takes
 * {@code (x)} and returns {@code (reconstruction, mean, logvar)}, decoding a posterior sample
 * drawn with the engine's RNG. The typed methods below are the intended API.
 */
public final class AutoencoderKL extends AbstractBlock {
    private final AutoencoderConfig config;
    private final Encoder encoder;
    private final Block quantConv;
    private final Block postQuantConv;
    private final Decoder decoder;

    /** The result of a full pass: the reconstruction and the posterior it was decoded from. */
    public record Output(NDArray reconstruction, DiagonalGaussian posterior) {}

    /** An autoencoder shaped by {@code config}; call {@code initialize} before use. */
    public AutoencoderKL(AutoencoderConfig config) {
        this.config = config;
        this.encoder = addChildBlock("encoder", new Encoder(config));
        this.quantConv = addChildBlock("quant_conv", Conv.conv1x1(2 * config.zChannels()));
        this.postQuantConv = addChildBlock("post_quant_conv", Conv.conv1x1(config.zChannels()));
        this.decoder = addChildBlock("decoder", new Decoder(config));
    }

    /** The configuration. */
    public AutoencoderConfig config() {
        return config;
    }

    /** The encoder. */
    public Encoder encoder() {
        return encoder;
    }

    /** The decoder. */
    public Decoder decoder() {
        return decoder;
    }

    /** The decoder's last layer weight, for the GAN adaptive weight. See {@link Decoder#lastLayer()}. */
    public Parameter lastLayer() {
        return decoder.lastLayer();
    }

    /**
     * Initialises all parameters for images of {@code config.inChannels()} channels, on {@code
     * manager} (the long-lived root manager). The spatial size does not matter for the weights;
     * any multiple of f works later.
     */
    public void initialize(NDManager manager) {
        int f = config.downsamplingFactor();
        initialize(manager, DataType.FLOAT32, new Shape(1, config.inChannels(), f, f));
    }

    /**
     * Encodes images: {@code (N, C, H, W) → q(z|x)} over {@code (N, z, H/f, W/f)}.
     *
     * @param x images in [-1, 1]
     */
    public DiagonalGaussian encode(ParameterStore ps, NDArray x, boolean training) {
        NDArray moments = Blocks.forward(encoder, ps, x, training, null);
        return DiagonalGaussian.fromMoments(Blocks.forward(quantConv, ps, moments, training, null));
    }

    /** Decodes latents: {@code (N, z, h, w) → (N, C, h·f, w·f)}. */
    public NDArray decode(ParameterStore ps, NDArray z, boolean training) {
        NDArray h = Blocks.forward(postQuantConv, ps, z, training, null);
        return Blocks.forward(decoder, ps, h, training, null);
    }

    /**
     * Encodes, takes a posterior sample (or the mode) and decodes it.
     *
     * @param samplePosterior decode {@code mean + std·ε} with ε from the engine's RNG when true,
     *     the posterior mean when false
     */
    public Output forward(ParameterStore ps, NDArray x, boolean training, boolean samplePosterior) {
        DiagonalGaussian posterior = encode(ps, x, training);
        NDArray z = samplePosterior ? posterior.sample() : posterior.mode();
        return new Output(decode(ps, z, training), posterior);
    }

    /** Encodes, decodes {@code mean + std · noise}; {@code noise} has the latent's shape. */
    public Output forward(ParameterStore ps, NDArray x, boolean training, NDArray noise) {
        DiagonalGaussian posterior = encode(ps, x, training);
        return new Output(decode(ps, posterior.sample(noise), training), posterior);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape moments = Blocks.initialize(encoder, manager, dataType, inputShapes[0]);
        Blocks.initialize(quantConv, manager, dataType, moments);
        Shape latent = new Shape(moments.get(0), config.zChannels(), moments.get(2), moments.get(3));
        Blocks.initialize(postQuantConv, manager, dataType, latent);
        Blocks.initialize(decoder, manager, dataType, latent);
    }

    /** {@code (x) → (reconstruction, mean, logvar)}, decoding a posterior sample. */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        Output out = forward(ps, inputs.singletonOrThrow(), training, true);
        return new NDList(out.reconstruction(), out.posterior().mean(), out.posterior().logvar());
    }

    /** {@code (N, C, H, W) → [(N, C, H, W), (N, z, H/f, W/f), (N, z, H/f, W/f)]}. */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        Shape moments = encoder.getOutputShapes(new Shape[] {x})[0];
        Shape latent = new Shape(x.get(0), config.zChannels(), moments.get(2), moments.get(3));
        return new Shape[] {x, latent, latent};
    }
}
