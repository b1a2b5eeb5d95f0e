package ldm4j.autoencoder.bench;

import ldm4j.autoencoder.AutoencoderConfig;

/**
 * Analytic FLOP count of one image through {@link ldm4j.autoencoder.AutoencoderKL}: convolutions and
 * attention matrix products only (norms, activations and additions are a few percent and left out),
 * one multiply-add = 2 FLOPs, as GFLOP/s figures of conv and GEMM kernels are quoted.
 *
 * <pre>
 * conv k×k, c_in → c_out, output H'×W':  2·k²·c_in·c_out·H'·W'
 * attention over L = h·w tokens of c channels: q, k, v, proj_out (1×1 convs) + QKᵀ and A·V: 2·L²·c each
 * </pre>
 *
 * <p>A training step costs about 3× the forward pass (backward: gradients for inputs
 * and for weights, each as large as the forward).
 */
public final class AutoencoderFlops {
    private AutoencoderFlops() {}

    /** FLOPs of encode (to the moments) and decode for one image of {@code height × width}. */
    public static double forward(AutoencoderConfig c, int height, int width) {
        return encode(c, height, width) + decode(c, height, width);
    }

    /** FLOPs of the encoder and {@code quant_conv} for one image. */
    public static double encode(AutoencoderConfig c, int height, int width) {
        double px = (double) height * width;
        double flops = conv(3, c.inChannels(), c.ch(), px);
        int channels = c.ch();
        for (int level = 0; level < c.levels(); level++) {
            int out = c.channelsAt(level);
            for (int j = 0; j < c.numResBlocks(); j++) {
                flops += resBlock(channels, out, px);
                channels = out;
            }
            if (level != c.levels() - 1) {
                px /= 4;
                flops += conv(3, channels, channels, px);
            }
        }
        flops += mid(c, channels, px);
        int moments = 2 * c.zChannels();
        return flops + conv(3, channels, moments, px) + conv(1, moments, moments, px);
    }

    /** FLOPs of {@code post_quant_conv} and the decoder for one image. */
    public static double decode(AutoencoderConfig c, int height, int width) {
        int f = c.downsamplingFactor();
        double px = (double) (height / f) * (width / f);
        int channels = c.channelsAt(c.levels() - 1);
        double flops = conv(1, c.zChannels(), c.zChannels(), px) + conv(3, c.zChannels(), channels, px);
        flops += mid(c, channels, px);
        for (int level = c.levels() - 1; level >= 0; level--) {
            int out = c.channelsAt(level);
            for (int j = 0; j <= c.numResBlocks(); j++) {
                flops += resBlock(channels, out, px);
                channels = out;
            }
            if (level != 0) {
                px *= 4;
                flops += conv(3, channels, channels, px);
            }
        }
        return flops + conv(3, channels, c.inChannels(), px);
    }

    private static double mid(AutoencoderConfig c, int channels, double px) {
        double flops = 2 * resBlock(channels, channels, px);
        if (c.attention()) {
            flops += 4 * conv(1, channels, channels, px) + 2 * (2 * px * px * channels);
        }
        return flops;
    }

    private static double resBlock(int in, int out, double px) {
        double flops = conv(3, in, out, px) + conv(3, out, out, px);
        return in == out ? flops : flops + conv(1, in, out, px);
    }

    private static double conv(int k, int in, int out, double outputPixels) {
        return 2.0 * k * k * in * out * outputPixels;
    }
}
