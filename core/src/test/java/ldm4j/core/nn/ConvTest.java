package ldm4j.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConvTest {
    @Test
    void everyFilterCountIsDjlsConvWithPyTorchsParameters() {
        for (int filters : new int[] {1, 3, 8, 16, 17}) {
            Block conv = Conv.conv3x3(filters);
            assertInstanceOf(Conv2d.class, conv);
            try (NDManager manager = NDManager.newBaseManager()) {
                conv.initialize(manager, DataType.FLOAT32, new Shape(1, 5, 4, 4));
                assertEquals(List.of("weight", "bias"), conv.getParameters().keys());
                assertEquals(new Shape(filters, 5, 3, 3), conv.getParameters().get("weight").getArray().getShape());
            }
        }
    }

    /** An odd filter count needs no padding: float64 finite differences, a GC before backward. */
    @Test
    void oddFilterCountHasTheFiniteDifferenceGradient() {
        Shape shape = new Shape(2, 4, 5, 5);
        Block conv = Conv.of(3, 3, 2, 0);
        try (NDManager manager = NDManager.newBaseManager()) {
            ScalarSitesGradCheckTest.randomParameters(conv, 21);
            conv.initialize(manager, DataType.FLOAT64, shape);
            ParameterStore ps = new ParameterStore(manager, false);
            GradCheck.check(manager, x -> conv.forward(ps, new NDList(x), true).singletonOrThrow(),
                    GradCheck.uniform(Math.toIntExact(shape.size()), 1, 4), shape, 1e-6, 1e-6);
        }
    }
}
