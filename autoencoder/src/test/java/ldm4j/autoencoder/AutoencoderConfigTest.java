package ldm4j.autoencoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AutoencoderConfigTest {

    static AutoencoderConfig tiny(int inChannels, List<Integer> chMult) {
        return new AutoencoderConfig(inChannels, 8, chMult, 1, 2, true, 0f);
    }

    @Test
    void downsamplingFactorIsTwoToTheLevelsMinusOne() {
        assertEquals(1, tiny(1, List.of(1)).downsamplingFactor());
        assertEquals(2, tiny(1, List.of(1, 2)).downsamplingFactor());
        assertEquals(4, tiny(1, List.of(1, 2, 2)).downsamplingFactor());
        assertEquals(8, tiny(1, List.of(1, 2, 2, 4)).downsamplingFactor());
    }

    @Test
    void latentShapeIsZChannelsByImageOverF() {
        assertEquals(new Shape(2, 4, 8), tiny(3, List.of(1, 2, 2)).latentShape(16, 32));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> tiny(3, List.of(1, 2, 2)).latentShape(18, 16));
        assertTrue(e.getMessage().contains("multiple of the downsampling factor 4"), e.getMessage());
    }

    @Test
    void configRejectsZeroChannelsNamingTheField() {
        assertMessageStarts("ch ", () -> new AutoencoderConfig(1, 0, List.of(1), 1, 2, true, 0f));
        assertMessageStarts("in_channels", () -> new AutoencoderConfig(0, 8, List.of(1), 1, 2, true, 0f));
        assertMessageStarts("z_channels", () -> new AutoencoderConfig(1, 8, List.of(1), 1, 0, true, 0f));
        assertMessageStarts("num_res_blocks", () -> new AutoencoderConfig(1, 8, List.of(1), 0, 2, true, 0f));
        assertMessageStarts("ch_mult", () -> new AutoencoderConfig(1, 8, List.of(), 1, 2, true, 0f));
        assertMessageStarts("ch_mult", () -> new AutoencoderConfig(1, 8, List.of(1, 0), 1, 2, true, 0f));
        assertMessageStarts("dropout", () -> new AutoencoderConfig(1, 8, List.of(1), 1, 2, true, 1f));
    }

    @Test
    void chMultIsCopiedSoLaterChangesDoNotLeakIn() {
        List<Integer> mult = new ArrayList<>(List.of(1, 2));
        AutoencoderConfig config = tiny(1, mult);
        mult.add(4);
        assertEquals(List.of(1, 2), config.chMult());
    }

    private static void assertMessageStarts(String prefix, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    }
}
