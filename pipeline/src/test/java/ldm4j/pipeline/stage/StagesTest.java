package ldm4j.pipeline.stage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import ldm4j.autoencoder.latent.LatentMode;
import ldm4j.core.InputException;
import ldm4j.core.data.Dataset;
import ldm4j.core.data.LatentSet;
import ldm4j.core.data.UInt8Images;
import ldm4j.core.io.Checkpoints;
import ldm4j.core.io.Npy;
import ldm4j.diffusion.generate.GenerateConfig;
import ldm4j.diffusion.sampler.Sampler;
import ldm4j.diffusion.sampler.TimestepSpacing;
import ldm4j.diffusion.train.DiffusionCheckpoint;
import ldm4j.pipeline.SampleFiles;
import ldm4j.pipeline.eval.ClassifierConfig;
import ldm4j.pipeline.eval.ClassifierTrainer;
import ldm4j.pipeline.eval.ClassifierTrainingConfig;
import ldm4j.pipeline.eval.FeatureNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each stage class called directly, as a driver or a command calls it, on tiny synthetic squares:
 * what each writes and returns, that a finished training is kept and an unfinished one continued,
 * pixel-space diffusion with no autoencoder (f = 1), two baselines in one folder tree, and one
 * evaluation scoring several sets in the same feature space.
 */
class StagesTest {
    @TempDir
    static Path dir;

    static String spec;
    static Dataset data;
    static AutoencoderStage.Output autoencoder;
    static Path latents;

    private static final Device CPU = Device.cpu();

    @BeforeAll
    static void trainAnAutoencoderAndEncode() throws IOException {
        spec = TinyStages.squares(dir, 20);
        data = DataStage.open(spec);
        autoencoder = AutoencoderStage.trainOrContinue(new AutoencoderStage.Input(TinyStages.autoencoder(2, 1e-6), data,
                spec, dir.resolve("ae")), CPU);
        latents = dir.resolve("latents");
        EncodeStage.run(new EncodeStage.Input(autoencoder.checkpoint(), data, spec, LatentMode.MEAN, 16, 3, latents),
                CPU);
    }

    private static GenerateConfig generate(int count) {
        return new GenerateConfig(count, 4, Sampler.fromString("ddim"), 2, 0.0, TimestepSpacing.fromString("uniform"),
                null, 1.0, 5);
    }

    @Test
    void dataStageOpensTheSpecWithItsShapeAndClasses() {
        assertEquals(1, data.info().channels());
        assertEquals(TinyStages.SIDE, data.info().height());
        assertEquals(TinyStages.CLASSES, data.info().numClasses());
        assertEquals(60, data.info().trainSize() + data.info().testSize());
    }

    @Test
    void autoencoderStageKeepsAFinishedCheckpointAndContinuesAnUnfinishedOne() throws IOException {
        assertNotNull(autoencoder.result(), "the first call trains");
        assertEquals(2, autoencoder.result().steps());
        Path sidecar = autoencoder.checkpoint().resolve(Checkpoints.SIDECAR);
        FileTime trained = Files.getLastModifiedTime(sidecar);
        AutoencoderStage.Output again = AutoencoderStage.trainOrContinue(
                new AutoencoderStage.Input(TinyStages.autoencoder(2, 1e-6), data, spec, dir.resolve("ae")), CPU);
        assertNull(again.result(), "a checkpoint at its last step is kept as it is");
        assertEquals(trained, Files.getLastModifiedTime(sidecar));

        Path other = dir.resolve("ae-continued");
        AutoencoderStage.trainOrContinue(new AutoencoderStage.Input(TinyStages.autoencoder(2, 1e-6), data, spec, other),
                CPU);
        AutoencoderStage.Output continued = AutoencoderStage.trainOrContinue(
                new AutoencoderStage.Input(TinyStages.autoencoder(3, 1e-6), data, spec, other), CPU);
        assertEquals(3, continued.result().steps());
    }

    @Test
    void encodeStageWritesBothSplitsAtTheLatentShape() {
        LatentSet set = LatentSet.read(latents);
        LatentSet.Header h = set.header();
        assertEquals(data.info().trainSize(), h.trainCount());
        assertEquals(data.info().testSize(), h.testCount());
        assertArrayEquals(new long[] {2, 8, 8}, h.shape()); // z = 2, f = 2
        assertTrue(h.scaleFactor() > 0);
    }

    @Test
    void latentDiffusionTrainsContinuesAndSamplesThroughTheDecoder() throws IOException {
        Path run = dir.resolve("ldm");
        DiffusionStage.Output first = DiffusionStage.trainOrContinue(new DiffusionStage.Input(
                TinyStages.diffusion(2), new DiffusionStage.Latents(latents), run, autoencoder.checkpoint()), CPU);
        assertEquals(2, first.steps());
        assertNotNull(first.result());
        DiffusionStage.Output more = DiffusionStage.trainOrContinue(new DiffusionStage.Input(
                TinyStages.diffusion(3), new DiffusionStage.Latents(latents), run, autoencoder.checkpoint()), CPU);
        assertEquals(3, DiffusionCheckpoint.read(more.checkpoint()).step());
        DiffusionStage.Output done = DiffusionStage.trainOrContinue(new DiffusionStage.Input(
                TinyStages.diffusion(3), new DiffusionStage.Latents(latents), run, autoencoder.checkpoint()), CPU);
        assertNull(done.result(), "a UNet at its last step is not trained again");

        SampleStage.Output out = SampleStage.run(new SampleStage.Latent(autoencoder.checkpoint(), run, generate(5)),
                "sample", dir.resolve("samples"), null, 4, CPU);
        assertArrayEquals(new long[] {5, 1, TinyStages.SIDE, TinyStages.SIDE},
                Npy.read(out.dir().resolve(SampleFiles.SAMPLES)).shape());
        assertEquals(List.of(0, 1, 2, 0, 1), List.of(out.images().label(0), out.images().label(1),
                out.images().label(2), out.images().label(3), out.images().label(4)));
        assertTrue(Files.isRegularFile(out.dir().resolve(SampleFiles.LABELS)));
    }

    /** f = 1: the UNet trains on the dataset's pixels and draws images itself; no autoencoder anywhere. */
    @Test
    void pixelDiffusionNeedsNoAutoencoder() throws IOException {
        Path run = dir.resolve("pixels");
        DiffusionStage.Output trained = DiffusionStage.trainOrContinue(new DiffusionStage.Input(
                TinyStages.diffusion(1), new DiffusionStage.Pixels(spec, data), run, null), CPU);
        assertEquals(1, trained.steps());
        UInt8Images images = SampleStage.draw(new SampleStage.Pixel(run, generate(3)), "sample", CPU);
        assertArrayEquals(new long[] {3, 1, TinyStages.SIDE, TinyStages.SIDE}, images.shape());
        InputException e = assertThrows(InputException.class,
                () -> SampleStage.draw(new SampleStage.Latent(autoencoder.checkpoint(), run, generate(3)), "s", CPU));
        assertTrue(e.getMessage().contains("pixel-space diffusion model"), e.getMessage());
    }

    /** Two baselines of one run, each its own folder and key, then one evaluation scoring them all. */
    @Test
    void twoBaselinesAndOneEvaluationOfEverySet() throws IOException {
        List<BaselineStage.Input> baselines = List.of(
                baseline("vae_prior", 1.0, dir.resolve("baselines/beta1")),
                baseline("vae_prior_beta0.1", 0.1, dir.resolve("baselines/beta0.1")));
        for (BaselineStage.Input b : baselines) {
            SampleStage.Output out = BaselineStage.run(b, CPU);
            assertEquals(6, out.images().count());
            assertTrue(Files.isRegularFile(b.autoencoder().checkpoint().resolve(Checkpoints.SIDECAR)));
            assertTrue(Files.isRegularFile(b.samples().resolve(SampleFiles.SAMPLES)));
        }

        Path clf = dir.resolve("clf");
        ClassifierTrainer.train(data, new ClassifierConfig(1, TinyStages.CLASSES, List.of(16, 32), 24, 0.0),
                new ClassifierTrainingConfig(30, 32, 3e-3, 0.01, 10, 1, false, 7), CPU, clf);
        List<EvalStage.Samples> sets = baselines.stream()
                .map(b -> EvalStage.read(b.key(), b.samples(), data.info())).toList();
        EvalStage.Output scores = EvalStage.run(data, new EvalStage.Folder(clf), sets, CPU, note -> { });
        assertEquals(List.of("vae_prior", "vae_prior_beta0.1"), List.copyOf(scores.metrics().keySet()));
        try (FeatureNetwork net = FeatureNetwork.load(clf, CPU)) {
            assertEquals(net.checkpoint(), scores.featureNetwork());
        }
        for (var m : scores.metrics().values()) {
            assertEquals(6, m.samples());
            assertTrue(m.fd() >= 0, m.toString());
        }
    }

    private static BaselineStage.Input baseline(String key, double beta, Path folder) throws IOException {
        return new BaselineStage.Input(key, new AutoencoderStage.Input(TinyStages.autoencoder(1, beta), data, spec,
                folder.resolve("autoencoder")), folder.resolve("samples"), 6, 4, 9, 4);
    }
}
