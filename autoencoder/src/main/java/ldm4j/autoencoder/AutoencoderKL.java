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
 * LDM's {@code AutoencoderKL}: image → posterior over latents → reconstruction; or, with {@code
 * latent: dense}, the classic VAE with a vector latent on the same trunk.
 *
 * <pre>
 * conv latent (the default):
 *   encode: x (N, C, H, W) → encoder → quant_conv (1×1, 2z → 2z) → DiagonalGaussian over (N, z, H/f, W/f)
 *   decode: z (N, z, h, w) → post_quant_conv (1×1, z → z) → decoder → (N, C, h·f, w·f)
 * dense latent:
 *   encode: x → encoder → (N, 2z, H/f, W/f) → latent_head (flatten → linear → 2d) → DiagonalGaussian over (N, d)
 *   decode: z (N, d) → latent_proj (linear → unflatten to (z, H/f, W/f)) → decoder → (N, C, H, W)
 * dense latent, trunk: none (a linear VAE, probabilistic PCA's model):
 *   encode: x → latent_head (flatten → linear → 2d);  decode: z → latent_proj (linear → (C, H, W))
 * </pre>
 *
 * <p>In the dense variant {@code z_channels} is the width of the trunk's narrow end: the map that is
 * flattened into the head (2·z_channels·H/f·W/f numbers) and unflattened from z. Its linear layers
 * fix the image size ({@link AutoencoderConfig#imageSize()}).
 *
 * <p>Children in forward order: {@code encoder}, {@code quant_conv}, {@code post_quant_conv},
 * {@code decoder} for a conv latent, so parameter keys look like {@code
 * 01encoder_03down0_block1_02conv1_weight} or {@code 02quant_conv_weight}; {@code [encoder]}, {@code
 * latent_head}, {@code latent_proj}, {@code [decoder]} for a dense one.
 *
 * <p>As a DJL {@link Block}, {@link #forward(ParameterStore, NDList, boolean, PairList)} takes
 * {@code (x)} and returns {@code (reconstruction, mean, logvar)}, decoding a posterior sample
 * drawn with the engine's RNG. The typed methods below are the intended API.
 */
public final class AutoencoderKL extends AbstractBlock {
    private final AutoencoderConfig config;
    private final Encoder encoder; // null with trunk: none
    private final Block quantConv; // conv latent only
    private final Block postQuantConv; // conv latent only
    private final FlattenLinear latentHead; // dense latent only
    private final LinearUnflatten latentProj; // dense latent only
    private final Decoder decoder; // null with trunk: none

    /** The result of a full pass: the reconstruction and the posterior it was decoded from. */
    public record Output(NDArray reconstruction, DiagonalGaussian posterior) {}

    /** An autoencoder shaped by {@code config}; call {@code initialize} before use. */
    public AutoencoderKL(AutoencoderConfig config) {
        this.config = config;
        if (!config.dense()) {
            this.encoder = addChildBlock("encoder", new Encoder(config));
            this.quantConv = addChildBlock("quant_conv", Conv.conv1x1(2 * config.zChannels()));
            this.postQuantConv = addChildBlock("post_quant_conv", Conv.conv1x1(config.zChannels()));
            this.latentHead = null;
            this.latentProj = null;
            this.decoder = addChildBlock("decoder", new Decoder(config));
            return;
        }
        if (config.imageSize() == 0) {
            throw new IllegalArgumentException("a dense latent needs model.image_size (the trainer sets it from the data)");
        }
        boolean trunk = config.trunk() == Trunk.CONV;
        int size = config.imageSize();
        this.encoder = trunk ? addChildBlock("encoder", new Encoder(config)) : null;
        this.quantConv = null;
        this.postQuantConv = null;
        this.latentHead = addChildBlock("latent_head", new FlattenLinear(2 * config.latentDim()));
        Shape map = trunk ? config.trunkShape(size, size) : new Shape(config.inChannels(), size, size);
        this.latentProj = addChildBlock("latent_proj", new LinearUnflatten(map));
        this.decoder = trunk ? addChildBlock("decoder", new Decoder(config)) : null;
    }

    /** The configuration. */
    public AutoencoderConfig config() {
        return config;
    }

    /** The conv encoder trunk, or null for a dense latent with {@code trunk: none}. */
    public Encoder encoder() {
        return encoder;
    }

    /** The conv decoder trunk, or null for a dense latent with {@code trunk: none}. */
    public Decoder decoder() {
        return decoder;
    }

    /**
     * A dense latent's first decoder layer (z → the trunk's map, or → the image with no trunk), or
     * null for a conv latent.
     */
    public LinearUnflatten latentProjection() {
        return latentProj;
    }

    /**
     * The decoder's last layer weight, for the GAN adaptive weight: {@link Decoder#lastLayer()}, or
     * with no trunk the linear decoder's weight.
     */
    public Parameter lastLayer() {
        return decoder != null ? decoder.lastLayer() : latentProj.weight();
    }

    /**
     * Initialises all parameters for images of {@code config.inChannels()} channels, on {@code
     * manager} (the long-lived root manager). For a conv latent the spatial size does not matter for
     * the weights; any multiple of f works later. A dense latent's are sized for {@code image_size}.
     */
    public void initialize(NDManager manager) {
        int size = config.dense() ? config.imageSize() : config.downsamplingFactor();
        initialize(manager, DataType.FLOAT32, new Shape(1, config.inChannels(), size, size));
    }

    /**
     * Encodes images: {@code (N, C, H, W) → q(z|x)} over {@code (N, z, H/f, W/f)}, or over {@code (N,
     * d)} for a dense latent.
     *
     * @param x images in [-1, 1]
     */
    public DiagonalGaussian encode(ParameterStore ps, NDArray x, boolean training) {
        NDArray h = encoder != null ? Blocks.forward(encoder, ps, x, training, null) : x;
        Block head = latentHead != null ? latentHead : quantConv;
        return DiagonalGaussian.fromMoments(Blocks.forward(head, ps, h, training, null));
    }

    /** Decodes latents: {@code (N, z, h, w) → (N, C, h·f, w·f)}, or {@code (N, d) → (N, C, H, W)} for a dense latent. */
    public NDArray decode(ParameterStore ps, NDArray z, boolean training) {
        Block stem = latentProj != null ? latentProj : postQuantConv;
        NDArray h = Blocks.forward(stem, ps, z, training, null);
        return decoder != null ? Blocks.forward(decoder, ps, h, training, null) : h;
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
        Shape x = inputShapes[0];
        if (!config.dense()) {
            Shape moments = Blocks.initialize(encoder, manager, dataType, x);
            Blocks.initialize(quantConv, manager, dataType, moments);
            Shape latent = new Shape(moments.get(0), config.zChannels(), moments.get(2), moments.get(3));
            Blocks.initialize(postQuantConv, manager, dataType, latent);
            Blocks.initialize(decoder, manager, dataType, latent);
            return;
        }
        config.latentShape((int) x.get(2), (int) x.get(3));
        Shape h = encoder != null ? Blocks.initialize(encoder, manager, dataType, x) : x;
        Blocks.initialize(latentHead, manager, dataType, h);
        Shape map = Blocks.initialize(latentProj, manager, dataType, new Shape(x.get(0), config.latentDim()));
        if (decoder != null) {
            Blocks.initialize(decoder, manager, dataType, map);
        }
    }

    /** {@code (x) → (reconstruction, mean, logvar)}, decoding a posterior sample. */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        Output out = forward(ps, inputs.singletonOrThrow(), training, true);
        return new NDList(out.reconstruction(), out.posterior().mean(), out.posterior().logvar());
    }

    /** {@code (N, C, H, W) → [(N, C, H, W), (N, z, H/f, W/f), (N, z, H/f, W/f)]}; (N, d) latents when dense. */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        if (config.dense()) {
            Shape latent = new Shape(x.get(0)).addAll(config.latentShape((int) x.get(2), (int) x.get(3)));
            return new Shape[] {x, latent, latent};
        }
        Shape moments = encoder.getOutputShapes(new Shape[] {x})[0];
        Shape latent = new Shape(x.get(0), config.zChannels(), moments.get(2), moments.get(3));
        return new Shape[] {x, latent, latent};
    }
}
