package ldm4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import ldm4j.core.InputException;
import ldm4j.core.data.UInt8Images;
import ldm4j.diffusion.generate.GenerateConfig;
import ldm4j.diffusion.sampler.Sampler;
import ldm4j.diffusion.sampler.TimestepSpacing;
import ldm4j.pipeline.AutoencoderLatentDecoder;
import ldm4j.pipeline.LatentDiffusionPipeline;
import ldm4j.pipeline.PixelVaeSampler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** LatentDiffusionPipeline and PixelVaeSampler on the shared tiny run ({@link TinyLatentRun}). */
class LatentPipelineTest {
    private static TinyLatentRun fixture;

    @BeforeAll
    static void train() {
        fixture = TinyLatentRun.get();
    }

    private static GenerateConfig config(int count, int batch, long seed) {
        return new GenerateConfig(count, batch, Sampler.DDIM, 3, 0, TimestepSpacing.LEADING, null, 1.5, seed);
    }

    @Test
    void pipelineGivesNImagesOfTheDatasetShapeWhenNIsNoMultipleOfTheBatch() {
        List<Long> progress = new ArrayList<>();
        UInt8Images images;
        try (LatentDiffusionPipeline pipeline = LatentDiffusionPipeline.forRun(fixture.run, Device.cpu())) {
            images = pipeline.generate(config(5, 2, 1), progress::add);
            assertArrayEquals(new long[] {4, 8, 8}, pipeline.latentShape());
        }
        assertArrayEquals(new long[] {5, 1, 16, 16}, images.shape());
        assertEquals(5 * 16 * 16, images.pixels().length);
        assertArrayEquals(new int[] {0, 1, 2, 0, 1}, images.labels(), "classes cycle over the samples");
        for (int i = 1; i < progress.size(); i++) {
            assertTrue(progress.get(i) >= progress.get(i - 1), "progress never goes back: " + progress);
        }
        assertEquals(5L, progress.get(progress.size() - 1), "progress ends at N: " + progress);
    }

    @Test
    void sameSeedGivesIdenticalSamplesAndAnotherSeedDoesNot() {
        try (LatentDiffusionPipeline pipeline = LatentDiffusionPipeline.load(fixture.autoencoder(),
                fixture.diffusion(), Device.cpu())) {
            byte[] a = pipeline.generate(config(3, 2, 7), s -> { }).pixels();
            byte[] b = pipeline.generate(config(3, 2, 7), s -> { }).pixels();
            byte[] c = pipeline.generate(config(3, 2, 8), s -> { }).pixels();
            assertArrayEquals(a, b);
            assertFalse(java.util.Arrays.equals(a, c));
        }
    }

    @Test
    void autoencoderWithOtherLatentChannelsIsOneClearErrorNamingBoth() {
        InputException e = assertThrows(InputException.class, () -> LatentDiffusionPipeline.load(
                fixture.otherChannels, fixture.diffusion(), Device.cpu()));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().contains("2-channel") && e.getMessage().contains(fixture.otherChannels.toString())
                && e.getMessage().contains(fixture.diffusion().toString()), e.getMessage());
    }

    @Test
    void autoencoderThatDidNotEncodeTheLatentsIsRefusedByTheHashOfItsWeights() {
        InputException e = assertThrows(InputException.class, () -> LatentDiffusionPipeline.load(
                fixture.otherSeed, fixture.diffusion(), Device.cpu()));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().contains("another autoencoder")
                && e.getMessage().contains(fixture.otherSeed.toString())
                && e.getMessage().contains(fixture.diffusion().toString()), e.getMessage());
    }

    @Test
    void pixelVaeSamplerGivesTheImageShapeAndIsDeterministicPerSeed() {
        try (PixelVaeSampler prior = PixelVaeSampler.load(fixture.autoencoder(), 16, 16, Device.cpu())) {
            UInt8Images a = prior.sample(5, 2, 3, done -> { });
            UInt8Images b = prior.sample(5, 2, 3, done -> { });
            UInt8Images c = prior.sample(5, 2, 4, done -> { });
            assertArrayEquals(new long[] {5, 1, 16, 16}, a.shape());
            assertArrayEquals(new long[] {4, 8, 8}, prior.latentShape());
            assertFalse(a.labelled());
            assertArrayEquals(a.pixels(), b.pixels());
            assertFalse(java.util.Arrays.equals(a.pixels(), c.pixels()));
        }
    }

    @Test
    void pixelVaeSamplerRefusesASizeThatIsNoMultipleOfTheDownsamplingFactor() {
        InputException e = assertThrows(InputException.class,
                () -> PixelVaeSampler.load(fixture.autoencoder(), 15, 16, Device.cpu()));
        assertTrue(e.getMessage().contains("15"), e.getMessage());
    }

    @Test
    void latentDecoderHookDecodesLatentsToImagesOnTheirManager() {
        try (PixelVaeSampler prior = PixelVaeSampler.load(fixture.autoencoder(), 16, 16, Device.cpu());
                NDManager scope = NDManager.newBaseManager(Device.cpu())) {
            AutoencoderLatentDecoder decoder = new AutoencoderLatentDecoder(prior.model());
            NDArray images = decoder.decode(scope.randomNormal(new Shape(2, 4, 8, 8)));
            assertEquals(new Shape(2, 1, 16, 16), images.getShape());
            assertEquals(scope, images.getManager());
        }
    }
}
