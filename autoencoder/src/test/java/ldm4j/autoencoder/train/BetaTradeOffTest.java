package ldm4j.autoencoder.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Path;
import ldm4j.core.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** β sets the rate–distortion trade-off: a heavy KL weight buys a lower rate with worse reconstructions. */
class BetaTradeOffTest {
    @TempDir
    Path dir;

    @Test
    void betaOneHasLowerRateAndLowerPsnrThanBetaSmall() throws IOException {
        Dataset data = TinyData.open(dir.resolve("data"), 36, 3);
        AutoencoderMetrics small = AutoencoderTrainer.run(TinyData.config(150, 1e-4, 8), data, "tiny",
                dir.resolve("small"), null, Device.cpu()).metrics();
        AutoencoderMetrics one = AutoencoderTrainer.run(TinyData.config(150, 1.0, 8), data, "tiny",
                dir.resolve("one"), null, Device.cpu()).metrics();
        assertTrue(one.rateBitsPerImage() < small.rateBitsPerImage() / 4,
                "rate " + one.rateBitsPerImage() + " bits at β = 1 vs " + small.rateBitsPerImage() + " at β = 1e-4");
        assertTrue(one.psnr() < small.psnr() - 1, "PSNR " + one.psnr() + " dB at β = 1 vs " + small.psnr());
        assertTrue(one.activeUnits() <= small.activeUnits(), one.activeUnits() + " vs " + small.activeUnits());
    }
}
