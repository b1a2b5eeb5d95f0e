package ldm4j.core.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;

/**
 * The one place where ldm4j builds 2-D convolutions, so every block builds them the same way.
 *
 * <p>Each conv has parameters {@code weight} (outC, inC, k, k) and {@code bias} (outC), as
 * PyTorch's {@code Conv2d}. The input channel count is taken from the input at initialisation.
 *
 * <p>NaN hazard (see DJL-NOTES): on CPU, conv backward sporadically returned NaN input gradients
 * when the number of output channels was not a multiple of 16. So when {@code filters % 16 != 0}
 * this factory returns a {@link PaddedConv2d}, which computes with zero filters appended up to the
 * next multiple of 16 and slices them off; its parameters have the true shape and the same names.
 * For {@code filters % 16 == 0} it returns DJL's own {@link Conv2d}. Trainers must still skip a
 * step whose gradients are not finite.
 */
public final class Conv {
    /** Filters are padded up to a multiple of this in {@link PaddedConv2d}. */
    public static final int FILTER_MULTIPLE = 16;

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
     * @return DJL's {@link Conv2d} when {@code filters} is a multiple of {@value #FILTER_MULTIPLE},
     *     a {@link PaddedConv2d} otherwise
     */
    public static Block of(int filters, int kernel, int stride, int padding) {
        if (filters <= 0) {
            throw new IllegalArgumentException("filters must be > 0, got " + filters);
        }
        if (filters % FILTER_MULTIPLE != 0) {
            return new PaddedConv2d(filters, kernel, stride, padding);
        }
        return Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(padding, padding))
                .build();
    }
}
