package ldm4j.autoencoder.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import ldm4j.autoencoder.AutoencoderConfig;
import org.junit.jupiter.api.Test;

/** The analytic FLOP count against a count by hand, layer by layer. */
class AutoencoderFlopsTest {
    private static double conv(int k, int in, int out, int pixels) {
        return 2.0 * k * k * in * out * pixels;
    }

    @Test
    void twoLevelModelWithAttentionCountsEveryConvAndMatmul() {
        // 1×8×8 image, ch 8, chMult 1,2 (f = 2, latent 2×4×4), one ResBlock, attention.
        AutoencoderConfig c = new AutoencoderConfig(1, 8, List.of(1, 2), 1, 2, true, 0f);
        int hi = 64;
        int lo = 16;
        double attention = 4 * conv(1, 16, 16, lo) + 2 * 2.0 * lo * lo * 16;
        double mid = 4 * conv(3, 16, 16, lo) + attention;
        double encoder = conv(3, 1, 8, hi)                               // conv_in
                + 2 * conv(3, 8, 8, hi)                                    // down0_block0 (8 → 8)
                + conv(3, 8, 8, lo)                                        // down0_downsample, stride 2
                + conv(3, 8, 16, lo) + conv(3, 16, 16, lo) + conv(1, 8, 16, lo) // down1_block0 with nin_shortcut
                + mid
                + conv(3, 16, 4, lo) + conv(1, 4, 4, lo);                  // conv_out, quant_conv
        double decoder = conv(1, 2, 2, lo) + conv(3, 2, 16, lo)          // post_quant_conv, conv_in
                + mid
                + 2 * 2 * conv(3, 16, 16, lo)                              // up1_block0, up1_block1
                + conv(3, 16, 16, hi)                                      // up1_upsample conv
                + conv(3, 16, 8, hi) + conv(3, 8, 8, hi) + conv(1, 16, 8, hi) // up0_block0 with nin_shortcut
                + 2 * conv(3, 8, 8, hi)                                    // up0_block1
                + conv(3, 8, 1, hi);                                       // conv_out
        assertEquals(encoder, AutoencoderFlops.encode(c, 8, 8), 1e-6);
        assertEquals(decoder, AutoencoderFlops.decode(c, 8, 8), 1e-6);
        assertEquals(encoder + decoder, AutoencoderFlops.forward(c, 8, 8), 1e-6);
    }
}
