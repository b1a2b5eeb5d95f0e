package ldm4j.core.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.initializer.Initializer;

/**
 * The one place where ldm4j builds 2-D convolutions, so every block builds them the same way.
 *
 * <p>Each conv has parameters {@code weight} (outC, inC, k, k) and {@code bias} (outC), as
 * PyTorch's {@code Conv2d}. The input channel count is taken from the input at initialisation.
 *
 * <p>Weights start as PyTorch's {@code nn.Conv2d} does ({@link FanInUniform}), biases at 0.
 *
 * <p>Every filter count uses DJL's {@link Conv2d} directly. An earlier version padded counts that
 * were not a multiple of 16, blaming conv backward for sporadic NaN gradients; those came from
 * DJL's scalar overloads instead (docs/djl-rules.md, rule 2). Re-measured with no scalar op and a GC
 * between forward and backward, 2,000 calls each for 3, 8, 12, 16, 17, 24 and 32 filters gave
 * 0 non-finite and 0 differing gradients.
 */
public final class Conv {
    private Conv() {}

    /** 3×3, stride 1, padding 1: {@code (N, C, H, W) → (N, filters, H, W)}. */
    public static Block conv3x3(int filters) {
        return of(filters, 3, 1, 1);
    }

    /** 1×1, stride 1, no padding ("network in network"): {@code (N, C, H, W) → (N, filters, H, W)}. */
    public static Block conv1x1(int filters) {
        return of(filters, 1, 1, 0);
    }

    /**
     * A square convolution.
     *
     * @param filters the number of output channels
     * @param kernel kernel side
     * @param stride stride in both directions
     * @param padding symmetric zero padding in both directions
     * @return DJL's {@link Conv2d}
     */
    public static Block of(int filters, int kernel, int stride, int padding) {
        if (filters <= 0) {
            throw new IllegalArgumentException("filters must be > 0, got " + filters);
        }
        Block conv = Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(padding, padding))
                .build();
        conv.setInitializer(FanInUniform.INSTANCE, Parameter.Type.WEIGHT);
        return conv;
    }

    /**
     * ADM's {@code zero_module}: {@code conv} with weight and bias starting at 0, so the residual
     * branch it closes starts as the identity. Call before the model is initialised.
     */
    public static Block zeroed(Block conv) {
        conv.setInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT);
        conv.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
        return conv;
    }
}
