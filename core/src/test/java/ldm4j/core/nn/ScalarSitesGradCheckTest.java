package ldm4j.core.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;

/** Float64 finite-difference checks of the core blocks that multiply by a scalar under autograd. */
class ScalarSitesGradCheckTest {

    /** Random, non-zero values for every parameter (the zero-initialised proj_out would hide attention). */
    static void randomParameters(Block block, long seed) {
        long s = seed;
        for (Pair<String, Parameter> p : block.getParameters()) {
            long ps = s++;
            p.getValue().setInitializer((m, shape, dt) ->
                    m.create(GradCheck.uniform(Math.toIntExact(shape.size()), 0.8, ps), shape).toType(dt, false));
        }
    }

    private static void checkAttention(AttentionBlock block, int channels) {
        Shape shape = new Shape(2, channels, 2, 3);
        try (NDManager manager = NDManager.newBaseManager()) {
            randomParameters(block, 11);
            block.initialize(manager, DataType.FLOAT64, shape);
            ParameterStore ps = new ParameterStore(manager, false);
            GradCheck.check(manager, x -> block.forward(ps, new NDList(x), true).singletonOrThrow(),
                    GradCheck.uniform(Math.toIntExact(shape.size()), 1.5, 3), shape, 1e-6, 1e-6);
        }
    }

    @Test
    void attentionScoreScaleHasTheFiniteDifferenceGradient() {
        checkAttention(AttentionBlock.ldm(4), 4);      // the autoencoder's mid block
        checkAttention(AttentionBlock.adm(4, 2), 4);   // the UNet's, two heads
    }
}
