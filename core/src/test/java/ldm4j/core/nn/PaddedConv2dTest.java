package ldm4j.core.nn;

import static ldm4j.core.nn.NnTestSupport.fix;
import static ldm4j.core.nn.NnTestSupport.init;
import static ldm4j.core.nn.NnTestSupport.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PaddedConv2dTest {

    @Test
    void factoryPadsOnlyFilterCountsThatAreNotMultiplesOfSixteen() {
        assertInstanceOf(PaddedConv2d.class, Conv.conv3x3(3));
        assertInstanceOf(PaddedConv2d.class, Conv.conv1x1(8));
        assertInstanceOf(Conv2d.class, Conv.conv3x3(16));
        assertInstanceOf(Conv2d.class, Conv.conv3x3(32));
        assertEquals(List.of("weight", "bias"), Conv.conv3x3(3).getParameters().keys());
        assertEquals(List.of("weight", "bias"), Conv.conv3x3(16).getParameters().keys());
    }

    @Test
    void paddedConvGivesSameOutputAndGradientsAsPlainConv() {
        Random rnd = new Random(3);
        int in = 5;
        int out = 3;
        float[] w = new float[out * in * 9];
        float[] b = new float[out];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) rnd.nextGaussian();
        }
        Shape shape = new Shape(2, in, 6, 6);
        float[] x = new float[(int) shape.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        Result padded = forwardBackward(Conv.of(out, 3, 2, 1), w, b, x, shape);
        Result plain =
                forwardBackward(
                        Conv2d.builder()
                                .setFilters(out)
                                .setKernelShape(new Shape(3, 3))
                                .optStride(new Shape(2, 2))
                                .optPadding(new Shape(1, 1))
                                .build(),
                        w, b, x, shape);
        assertEquals(plain.shape, padded.shape);
        assertArrayEquals(plain.y, padded.y, 1e-5f);
        assertArrayEquals(plain.dx, padded.dx, 1e-5f);
        assertArrayEquals(plain.dw, padded.dw, 1e-5f);
    }

    private record Result(Shape shape, float[] y, float[] dx, float[] dw) {}

    private static Result forwardBackward(Block conv, float[] w, float[] b, float[] x, Shape shape) {
        Engine.getInstance().setRandomSeed(0);
        try (NDManager m = NDManager.newBaseManager()) {
            fix(conv, "weight", values(w));
            fix(conv, "bias", values(b));
            init(conv, m, shape);
            NDArray input = m.create(x, shape);
            input.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = conv.forward(new ParameterStore(m, false), new NDList(input), true).singletonOrThrow();
                // A loss that weights every output differently, so each gradient entry matters.
                NDArray weights = m.arange((float) y.getShape().size()).reshape(y.getShape()).div(10f);
                gc.backward(y.mul(weights).sum());
                return new Result(
                        y.getShape(),
                        y.toFloatArray(),
                        input.getGradient().toFloatArray(),
                        conv.getParameters().get("weight").getArray().getGradient().toFloatArray());
            }
        }
    }
}
