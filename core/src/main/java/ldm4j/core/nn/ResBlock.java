package ldm4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Residual block of LDM/ADM, shared by the autoencoder and the UNet.
 *
 * <pre>
 * h = conv1(SiLU(norm1(x)))                      (N, inC, H, W) → (N, outC, H, W)
 * h = h + temb_proj(SiLU(emb))[:, :, None, None]  only when built with embChannels &gt; 0
 * h = conv2(dropout(SiLU(norm2(h))))
 * out = skip(x) + h                               skip = nin_shortcut (1×1 conv) if inC ≠ outC, else x
 * </pre>
 *
 * <p>Inputs: {@code (x)} with x (N, inC, H, W), or {@code (x, emb)} with emb (N, embChannels)
 * when the block has an embedding projection (the UNet's time, or time + class, embedding).
 * Output: {@code (N, outC, H, W)}.
 *
 * <p>Children, in forward order: {@code norm1}, {@code conv1}, [{@code temb_proj}], {@code
 * norm2}, {@code dropout}, {@code conv2}, [{@code nin_shortcut}]. {@code dropout} is registered
 * even at rate 0 so that parameter keys do not depend on the rate.
 */
public final class ResBlock extends AbstractBlock {
    private final int inChannels;
    private final int outChannels;
    private final int embChannels;
    private final int groups;

    private final GroupNorm norm1;
    private final Block conv1;
    private final Linear tembProj;
    private final GroupNorm norm2;
    private final Dropout dropout;
    private final Block conv2;
    private final Block ninShortcut;

    private ResBlock(Builder builder) {
        this.inChannels = builder.inChannels;
        this.outChannels = builder.outChannels;
        this.embChannels = builder.embChannels;
        this.groups = builder.groups;
        this.norm1 = addChildBlock("norm1", new GroupNorm(inChannels, groupsFor(inChannels)));
        this.conv1 = addChildBlock("conv1", Conv.conv3x3(outChannels));
        this.tembProj =
                embChannels > 0
                        ? addChildBlock("temb_proj", Linears.of(outChannels))
                        : null;
        this.norm2 = addChildBlock("norm2", new GroupNorm(outChannels, groupsFor(outChannels)));
        this.dropout = addChildBlock("dropout", Dropout.builder().optRate(builder.dropout).build());
        Block out = Conv.conv3x3(outChannels);
        this.conv2 = addChildBlock("conv2", builder.zeroOutput ? Conv.zeroed(out) : out);
        this.ninShortcut =
                inChannels != outChannels ? addChildBlock("nin_shortcut", Conv.conv1x1(outChannels)) : null;
    }

    /** A builder: {@code setInChannels}, {@code setOutChannels} required; the rest optional. */
    public static Builder builder() {
        return new Builder();
    }

    private int groupsFor(int channels) {
        return groups > 0 ? groups : GroupNorm.defaultGroups(channels);
    }

    /** Input channels. */
    public int inChannels() {
        return inChannels;
    }

    /** Output channels. */
    public int outChannels() {
        return outChannels;
    }

    /** Embedding width, or 0 when the block takes no embedding. */
    public int embChannels() {
        return embChannels;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        checkInput(x);
        Shape h = Blocks.initialize(norm1, manager, dataType, x);
        h = Blocks.initialize(conv1, manager, dataType, h);
        if (tembProj != null) {
            if (inputShapes.length < 2) {
                throw new IllegalArgumentException(
                        "ResBlock built with embChannels=" + embChannels + " needs input shapes (x, emb)");
            }
            tembProj.initialize(manager, dataType, inputShapes[1]);
        }
        h = Blocks.initialize(norm2, manager, dataType, h);
        h = Blocks.initialize(dropout, manager, dataType, h);
        Blocks.initialize(conv2, manager, dataType, h);
        if (ninShortcut != null) {
            ninShortcut.initialize(manager, dataType, x);
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        checkInput(x.getShape());
        NDArray h = Blocks.forward(norm1, ps, x, training, params);
        h = Blocks.forward(conv1, ps, Tensors.silu(h), training, params);
        if (tembProj != null) {
            if (inputs.size() < 2) {
                throw new IllegalArgumentException(
                        "ResBlock built with embChannels=" + embChannels + " needs inputs (x, emb)");
            }
            NDArray emb = Blocks.forward(tembProj, ps, Tensors.silu(inputs.get(1)), training, params);
            h = h.add(emb.reshape(emb.getShape().get(0), outChannels, 1, 1));
        } else if (inputs.size() > 1) {
            throw new IllegalArgumentException(
                    "ResBlock built without an embedding got " + inputs.size() + " inputs");
        }
        h = Blocks.forward(norm2, ps, h, training, params);
        h = Blocks.forward(dropout, ps, Tensors.silu(h), training, params);
        h = Blocks.forward(conv2, ps, h, training, params);
        NDArray skip = ninShortcut == null ? x : Blocks.forward(ninShortcut, ps, x, training, params);
        return new NDList(skip.add(h));
    }

    /** {@code (N, inC, H, W)[, (N, embChannels)] → (N, outC, H, W)}. */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        return new Shape[] {new Shape(x.get(0), outChannels, x.get(2), x.get(3))};
    }

    private void checkInput(Shape x) {
        if (x.dimension() != 4 || x.get(1) != inChannels) {
            throw new IllegalArgumentException(
                    "ResBlock expects x of shape (N, " + inChannels + ", H, W), got " + x);
        }
    }

    /** Builder for {@link ResBlock}. */
    public static final class Builder {
        private int inChannels;
        private int outChannels;
        private int embChannels;
        private float dropout;
        private int groups;
        private boolean zeroOutput;

        private Builder() {}

        /** Input channels (required, &gt; 0). */
        public Builder setInChannels(int inChannels) {
            this.inChannels = inChannels;
            return this;
        }

        /** Output channels (required, &gt; 0). */
        public Builder setOutChannels(int outChannels) {
            this.outChannels = outChannels;
            return this;
        }

        /** Width of the embedding added after conv1; 0 (default) for none. */
        public Builder optEmbChannels(int embChannels) {
            this.embChannels = embChannels;
            return this;
        }

        /** Dropout rate before conv2, in [0, 1); default 0. */
        public Builder optDropout(float dropout) {
            this.dropout = dropout;
            return this;
        }

        /**
         * Starts {@code conv2} at zero, as ADM's {@code zero_module}: the block is the identity (or its
         * 1×1 shortcut) until training moves it. LDM's autoencoder blocks leave it at the default.
         */
        public Builder optZeroOutput(boolean zeroOutput) {
            this.zeroOutput = zeroOutput;
            return this;
        }

        /**
         * Group count of both GroupNorms; default ({@code 0}) is {@link GroupNorm#defaultGroups}
         * of each norm's channel count. It must divide both channel counts.
         *
         * <p>With one channel per group, norm2 removes any per-channel constant, so the
         * embedding added after conv1 (and conv1's bias) would have no effect at all; the
         * default keeps at least two channels per group for that reason.
         */
        public Builder optGroups(int groups) {
            this.groups = groups;
            return this;
        }

        /** Validates and builds. */
        public ResBlock build() {
            if (inChannels <= 0) {
                throw new IllegalArgumentException("inChannels must be > 0, got " + inChannels);
            }
            if (outChannels <= 0) {
                throw new IllegalArgumentException("outChannels must be > 0, got " + outChannels);
            }
            if (embChannels < 0) {
                throw new IllegalArgumentException("embChannels must be >= 0, got " + embChannels);
            }
            if (!(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
            }
            if (groups < 0 || (groups > 0 && (inChannels % groups != 0 || outChannels % groups != 0))) {
                throw new IllegalArgumentException(
                        "groups must divide inChannels (" + inChannels + ") and outChannels ("
                                + outChannels + "), got " + groups);
            }
            return new ResBlock(this);
        }
    }
}
