package ldm4j.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;
import ldm4j.autoencoder.AutoencoderConfig;
import ldm4j.autoencoder.AutoencoderKL;
import ldm4j.autoencoder.LatentKind;
import ldm4j.autoencoder.Trunk;
import ldm4j.core.data.UInt8Images;
import org.junit.jupiter.api.Test;

/** The prior sampler at a temperature, for the conv and the dense latent. */
class PixelVaeSamplerTemperatureTest {
    private static final int SIZE = 8;

    private static PixelVaeSampler sampler(AutoencoderConfig config) {
        Engine.getInstance().setRandomSeed(11);
        NDManager root = NDManager.newBaseManager();
        AutoencoderKL model = new AutoencoderKL(config);
        model.initialize(root);
        return PixelVaeSampler.of(root, model, SIZE, SIZE);
    }

    static List<AutoencoderConfig> configs() {
        return List.of(
                new AutoencoderConfig(1, 8, List.of(1, 2), 1, 2, false, 0f),
                new AutoencoderConfig(1, 8, List.of(1, 2), 1, 2, false, 0f, LatentKind.DENSE, 5, Trunk.CONV, SIZE),
                new AutoencoderConfig(3, 8, List.of(1), 1, 2, false, 0f, LatentKind.DENSE, 3, Trunk.NONE, SIZE));
    }

    /** τ = 0 decodes z = 0 for every sample, so all samples are the same image; τ = 1 gives different ones. */
    @Test
    void temperatureZeroDecodesTheOriginForEverySample() {
        for (AutoencoderConfig config : configs()) {
            try (PixelVaeSampler prior = sampler(config)) {
                UInt8Images cold = prior.sample(5, 2, 3, 0.0, done -> { });
                int size = cold.pixels().length / 5;
                byte[] first = Arrays.copyOfRange(cold.pixels(), 0, size);
                for (int i = 1; i < 5; i++) {
                    assertArrayEquals(first, Arrays.copyOfRange(cold.pixels(), i * size, (i + 1) * size),
                            config + ": sample " + i + " at τ = 0");
                }
                UInt8Images warm = prior.sample(5, 2, 3, 1.0, done -> { });
                assertFalse(Arrays.equals(first, Arrays.copyOfRange(warm.pixels(), size, 2 * size)),
                        config + ": τ = 1 samples differ from z = 0");
                assertArrayEquals(warm.pixels(), prior.sample(5, 2, 3, done -> { }).pixels(), "τ = 1 is the default");
                assertArrayEquals(new long[] {5, config.inChannels(), SIZE, SIZE}, warm.shape());
            }
        }
    }

    @Test
    void aDenseSamplerDrawsVectorLatentsAndRefusesOtherSizes() {
        AutoencoderConfig dense = configs().get(1);
        try (PixelVaeSampler prior = sampler(dense)) {
            assertArrayEquals(new long[] {5}, prior.latentShape());
        }
        NDManager root = NDManager.newBaseManager();
        try (root) {
            AutoencoderKL model = new AutoencoderKL(dense);
            model.initialize(root);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PixelVaeSampler.of(root, model, 16, 16));
            assertEquals(true, e.getMessage().contains("sized for 8×8"), e.getMessage());
        }
    }

    @Test
    void aNegativeTemperatureIsRefused() {
        try (PixelVaeSampler prior = sampler(configs().get(0))) {
            assertThrows(IllegalArgumentException.class, () -> prior.sample(2, 2, 0, -0.5, done -> { }));
        }
    }
}
