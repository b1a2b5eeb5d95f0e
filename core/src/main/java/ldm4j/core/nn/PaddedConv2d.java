package ldm4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A 2-D convolution whose filter count is rounded up to a multiple of {@value
 * Conv#FILTER_MULTIPLE} for the computation only: {@code (N, C, H, W) → (N, filters, H', W')}.
 *
 * <p>The stored parameters have the true shapes ({@code weight} (filters, C, k, k), {@code bias}
 * (filters)), exactly like {@link Conv2d}. At each forward pass zero filters are appended, the
 * convolution runs with the padded count, and the extra output channels are sliced off. The
 * result and the gradients of the true filters are identical to an unpadded conv; the padding
 * avoids the sporadic NaN gradients of PyTorch's CPU conv backward for odd channel counts (see
 * DJL-NOTES). The extra cost is the extra filters, at most 15 per conv.
 *
 * <p>Build through {@link Conv}.
 */
public final class PaddedConv2d extends AbstractBlock {
    private final int filters;
    private final int paddedFilters;
    private final int kernel;
    private final Shape stride;
    private final Shape padding;
    private final Parameter weight;
    private final Parameter bias;

    PaddedConv2d(int filters, int kernel, int stride, int padding) {
        this.filters = filters;
        this.paddedFilters =
                (filters + Conv.FILTER_MULTIPLE - 1) / Conv.FILTER_MULTIPLE * Conv.FILTER_MULTIPLE;
        this.kernel = kernel;
        this.stride = new Shape(stride, stride);
        this.padding = new Shape(padding, padding);
        this.weight =
                addParameter(
                        Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build());
        this.bias =
                addParameter(
                        Parameter.builder()
                                .setName("bias")
                                .setType(Parameter.Type.BIAS)
                                .optShape(new Shape(filters))
                                .build());
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        weight.setShape(new Shape(filters, inputShapes[0].get(1), kernel, kernel));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = ps.getValue(bias, x.getDevice(), training);
        if (paddedFilters == filters) {
            return Conv2d.conv2d(x, w, b, stride, padding, new Shape(1, 1), 1);
        }
        NDManager scope = x.getManager();
        Shape ws = w.getShape();
        NDArray wZeros = scope.zeros(new Shape(paddedFilters - filters, ws.get(1), ws.get(2), ws.get(3)), w.getDataType(), x.getDevice());
        NDArray bZeros = scope.zeros(new Shape(paddedFilters - filters), b.getDataType(), x.getDevice());
        NDArray wPadded = Tensors.adopt(NDArrays.concat(new NDList(w, wZeros), 0), x);
        NDArray bPadded = Tensors.adopt(NDArrays.concat(new NDList(b, bZeros), 0), x);
        NDArray y = Conv2d.conv2d(x, wPadded, bPadded, stride, padding, new Shape(1, 1), 1).singletonOrThrow();
        return new NDList(y.get(new NDIndex(":, :" + filters)));
    }

    /** {@code (N, C, H, W) → (N, filters, (H + 2p − k)/s + 1, (W + 2p − k)/s + 1)}. */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        long h = (in.get(2) + 2 * padding.get(0) - kernel) / stride.get(0) + 1;
        long w = (in.get(3) + 2 * padding.get(1) - kernel) / stride.get(1) + 1;
        return new Shape[] {new Shape(in.get(0), filters, h, w)};
    }

    @Override
    public String toString() {
        return "PaddedConv2d(filters=" + filters + " computed as " + paddedFilters + ", k=" + kernel + ")";
    }
}
