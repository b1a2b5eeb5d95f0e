package ldm4j.pipeline.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import ldm4j.autoencoder.loss.ReconstructionLoss;
import ldm4j.diffusion.sampler.Sampler;
import ldm4j.diffusion.train.DataSpace;
import org.junit.jupiter.api.Test;

/** The shipped f sweep: f = 1 on pixels, f = 2, 4, 8 by the autoencoder's levels, everything else equal. */
class FSweepConfigTest {
    @Test
    void fSweepMakesOnePixelRunAndThreeCompressorsAtTheDemosBetaWithOneUnetBudget() {
        AblationConfig a = AblationConfig.read(Path.of("../configs/f-sweep.yaml"));
        assertEquals(List.of("f=1", "f=2", "f=4", "f=8"), a.subRuns().stream().map(AblationConfig.SubRun::name).toList());
        RunConfig demo = RunConfig.read(a.base());
        for (AblationConfig.SubRun s : a.subRuns()) {
            RunConfig run = RunConfig.read(a.base(), s.overrides());
            int f = s.sweepValue().intValue();
            assertEquals(f, run.f(), s.name());
            assertEquals(f == 1 ? DataSpace.PIXEL : DataSpace.LATENT, run.space(), s.name());
            if (f > 1) {
                assertEquals(f, run.autoencoder().config().model().downsamplingFactor(), s.name());
            }
            assertEquals(demo.autoencoder().config().loss(), run.autoencoder().config().loss(), s.name());
            assertEquals(demo.autoencoder().config().sigma(), run.autoencoder().config().sigma(), 0.0, s.name());
            assertEquals(1e-6, run.autoencoder().config().beta(), 0.0, s.name());
            assertEquals(demo.autoencoder().config().steps(), run.autoencoder().config().steps(), s.name());
            assertEquals(demo.diffusion().model(), run.diffusion().model(), "one UNet shape for every f");
            assertEquals(264.0, run.unetBudget().seconds(), 0.0, s.name());
            assertNull(run.unetBudget().measured(), "measured per sub-run when it starts");
            assertEquals(4, run.progressPoints());
            assertEquals(200, run.sample().count());
            assertEquals(Sampler.DPMPP_2M, run.sample().sampler());
            assertFalse(run.baseline().enabled());
        }
    }
}
