package ldm4j.autoencoder.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import ldm4j.autoencoder.AutoencoderConfig;
import org.junit.jupiter.api.Test;

/** The RSS verdict of the autoencoder benchmark: flat, growing, or a run too short to tell. */
class AutoencoderBenchTest {
    private static final long MIB = 1024L * 1024;

    private static AutoencoderBench.Report report(AutoencoderBench.Options o, long firstMib, long secondMib) {
        AutoencoderConfig m = new AutoencoderConfig(1, 8, List.of(1, 2), 1, 2, true, 0f);
        return new AutoencoderBench.Report(m, o, 2, 0.1, 90, 27, 1000, 100, firstMib * MIB, secondMib * MIB,
                secondMib * MIB, 0, 60);
    }

    @Test
    void fullRunJudgesGrowthAtFivePercent() {
        AutoencoderBench.Options full = AutoencoderBench.Options.full();
        assertEquals("flat (< 5%)", report(full, 1000, 1049).rssVerdict());
        assertEquals("GROWING (≥ 5%)", report(full, 1000, 1051).rssVerdict());
        assertEquals(5.1, report(full, 1000, 1051).rssGrowthPercent(), 1e-9);
    }

    @Test
    void quickRunDoesNotJudgeTheAllocatorWarmUp() {
        // Steps 100→200 still see the allocator's pools grow; only the full run tells a leak.
        AutoencoderBench.Options quick = AutoencoderBench.Options.quick();
        assertEquals("too short to judge (full bench: steps 1,000→5,000)", report(quick, 1000, 1052).rssVerdict());
    }
}
