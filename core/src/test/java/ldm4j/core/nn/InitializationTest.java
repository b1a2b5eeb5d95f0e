package ldm4j.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import org.junit.jupiter.api.Test;

/**
 * Weights start where PyTorch's do: U(−1/√fan_in, 1/√fan_in), not DJL's He-normal √(2/fan_in),
 * which is √6 times wider and made the PyTorch recipes learn several times slower. ADM's zero
 * modules start at exactly 0.
 */
class InitializationTest {
    private static float[] weight(Block block, Shape input) {
        Engine.getInstance().setRandomSeed(7);
        try (NDManager manager = NDManager.newBaseManager()) {
            block.initialize(manager, DataType.FLOAT32, input);
            return block.getParameters().get("weight").getArray().toFloatArray();
        }
    }

    /** The range is [−b, b] with b = 1/√fan_in and the standard deviation b/√3 (DJL's default: b·√2). */
    private static void assertFanInUniform(float[] w, long fanIn) {
        double bound = 1 / Math.sqrt(fanIn);
        double sum = 0;
        double max = 0;
        for (float v : w) {
            sum += (double) v * v;
            max = Math.max(max, Math.abs(v));
        }
        double std = Math.sqrt(sum / w.length);
        assertTrue(max <= bound, "max |w| " + max + " exceeds 1/sqrt(fan_in) = " + bound);
        assertTrue(max > 0.95 * bound, "max |w| " + max + " does not reach the bound " + bound);
        assertEquals(bound / Math.sqrt(3), std, 0.03 * bound / Math.sqrt(3), "std of " + w.length + " weights");
    }

    @Test
    void convWeightsArePyTorchsDefault() {
        assertFanInUniform(weight(Conv.conv3x3(64), new Shape(1, 32, 4, 4)), 32 * 9);
        assertFanInUniform(weight(Conv.conv1x1(96), new Shape(1, 128, 2, 2)), 128);
    }

    @Test
    void linearWeightsArePyTorchsDefault() {
        assertFanInUniform(weight(Linears.of(256), new Shape(2, 64)), 64);
    }

    @Test
    void fanInIsInputChannelsTimesReceptiveField() {
        assertEquals(32 * 9, FanInUniform.fanIn(new Shape(64, 32, 3, 3)));
        assertEquals(64, FanInUniform.fanIn(new Shape(256, 64)));
    }

    @Test
    void zeroedConvStartsAtZero() {
        Block conv = Conv.zeroed(Conv.conv3x3(8));
        try (NDManager manager = NDManager.newBaseManager()) {
            conv.initialize(manager, DataType.FLOAT32, new Shape(1, 4, 4, 4));
            for (var p : conv.getParameters()) {
                assertEquals(0f, p.getValue().getArray().abs().max().getFloat(), p.getKey());
            }
        }
    }

    /** ADM zero-initialises a ResBlock's conv2 and attention's proj_out; LDM's blocks do not. */
    @Test
    void admBlocksStartAsTheIdentityAndLdmBlocksDoNot() {
        Shape x = new Shape(2, 8, 4, 4);
        try (NDManager manager = NDManager.newBaseManager()) {
            ResBlock adm = ResBlock.builder().setInChannels(8).setOutChannels(8).optZeroOutput(true).build();
            ResBlock ldm = ResBlock.builder().setInChannels(8).setOutChannels(8).build();
            AttentionBlock admAttn = AttentionBlock.adm(8, 2);
            AttentionBlock ldmAttn = AttentionBlock.ldm(8);
            for (Block b : new Block[] {adm, ldm, admAttn, ldmAttn}) {
                b.initialize(manager, DataType.FLOAT32, x);
            }
            assertEquals(0f, maxAbs(adm, "conv2_weight"));
            assertTrue(maxAbs(ldm, "conv2_weight") > 0);
            assertEquals(0f, maxAbs(admAttn, "proj_out_weight"));
            assertTrue(maxAbs(ldmAttn, "proj_out_weight") > 0);
            NDArray input = manager.randomNormal(x);
            var ps = new ai.djl.training.ParameterStore(manager, false);
            NDArray out = adm.forward(ps, new ai.djl.ndarray.NDList(input), false).singletonOrThrow();
            assertEquals(0f, out.sub(input).abs().max().getFloat(), "a zero-initialised ResBlock is the identity");
        }
    }

    private static float maxAbs(Block block, String suffix) {
        for (var p : block.getParameters()) {
            if (p.getKey().endsWith(suffix)) {
                return p.getValue().getArray().abs().max().getFloat();
            }
        }
        throw new AssertionError("no parameter ending in " + suffix + " in " + block.getParameters().keys());
    }
}
