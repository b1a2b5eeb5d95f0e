package ldm4j.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import ldm4j.autoencoder.train.AutoencoderCheckpoint;
import ldm4j.autoencoder.train.AutoencoderTrainConfig;
import ldm4j.autoencoder.train.AutoencoderTrainer;
import ldm4j.core.data.Dataset;
import ldm4j.core.data.LatentSet;
import ldm4j.core.data.UInt8Images;
import ldm4j.core.io.Checkpoints;
import ldm4j.core.io.Safetensors;
import ldm4j.diffusion.generate.GenerateConfig;
import ldm4j.diffusion.sampler.Sampler;
import ldm4j.diffusion.sampler.TimestepSpacing;
import ldm4j.diffusion.train.DiffusionCheckpoint;
import ldm4j.diffusion.train.DiffusionData;
import ldm4j.diffusion.train.DiffusionTrainer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints written by main at 08357af ({@code fixtures/main-08357af/README.txt}) still load,
 * sample, and resume on the loss curve main's own uninterrupted run took (its 4-step train-log).
 * Surefire runs libtorch on one thread, where resume is bit-exact; the CSV keeps 6 significant
 * digits, so the rows must match as text.
 */
class MainFixturesTest {
    private static final double SCALE_FACTOR = 6.514737776349612;

    @TempDir
    Path dir;

    private Path fixture;

    @BeforeEach
    void copyFixture() throws IOException {
        fixture = copyTo(dir);
    }

    /** A copy of {@code fixtures/main-08357af} under {@code dir}, so that tests may write into it. */
    static Path copyTo(Path dir) throws IOException {
        Path source;
        try {
            source = Path.of(MainFixturesTest.class.getResource("/fixtures/main-08357af").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Path copy = dir.resolve("main-08357af");
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path p : walk.toList()) {
                Path target = copy.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return copy;
    }

    private String dataSpec() {
        return "idx:" + fixture.resolve("data/images.idx") + "," + fixture.resolve("data/labels.idx");
    }

    @Test
    void autoencoderCheckpointLoadsWithItsScaleFactor() {
        try (NDManager root = NDManager.newBaseManager(Device.cpu())) {
            AutoencoderCheckpoint ae = AutoencoderCheckpoint.load(fixture.resolve("ae/checkpoint"), root);
            assertEquals(SCALE_FACTOR, ae.scaleFactor());
            assertEquals(2, ae.model().config().zChannels());
            assertEquals(2, ae.info().step());
        }
    }

    @Test
    void autoencoderResumesOnMainsUninterruptedLossCurve() throws IOException {
        Path run = fixture.resolve("ae");
        Path checkpoint = run.resolve(AutoencoderTrainer.CHECKPOINT_DIR);
        AutoencoderTrainConfig config = AutoencoderTrainConfig.resolve(AutoencoderCheckpoint.readConfig(checkpoint),
                null, Map.of("steps", 4L));
        Dataset data = Dataset.open(dataSpec());
        AutoencoderTrainer.Result r = AutoencoderTrainer.run(config, data, dataSpec(), run, checkpoint, Device.cpu());
        assertEquals(0, r.skippedSteps());
        List<String> expected = columns(run.resolve("train-log-4-steps.csv"), 11);
        List<String> actual = columns(run.resolve("train-log.csv"), 11);
        assertEquals(expected, actual, "steps 1-2 from main's run, 3-4 resumed here");
        // Rewritten in the shared layout: the EMA of the model's weights is in ema.safetensors only.
        List<String> optimizer = Safetensors.readHeader(Checkpoints.tensorFile(checkpoint, Checkpoints.OPTIMIZER))
                .entries().stream().map(Safetensors.Entry::name).toList();
        List<String> ema = Safetensors.readHeader(Checkpoints.tensorFile(checkpoint, Checkpoints.EMA)).entries()
                .stream().map(Safetensors.Entry::name).toList();
        for (String name : ema) {
            assertFalse(optimizer.contains("ema." + name), name);
        }
        assertTrue(optimizer.contains("ema.loss.logvar") && optimizer.contains("ema.updates"), optimizer.toString());
    }

    @Test
    void diffusionResumesOnMainsUninterruptedLossCurve() throws IOException {
        Path latents = fixture.resolve("latents");
        Path run = fixture.resolve("ldm");
        try (NDManager root = NDManager.newBaseManager(Device.cpu())) {
            DiffusionData data = DiffusionData.latents(LatentSet.read(latents), latents.toString());
            DiffusionTrainer.resume(run, data, run, root, 4).run();
        }
        assertEquals(columns(run.resolve("train-log-4-steps.csv"), 5), columns(run.resolve("train-log.csv"), 5));
        // main's latents name no autoencoder hash: the rewritten sidecar keeps the scale factor as the fingerprint
        DiffusionCheckpoint resumed = DiffusionCheckpoint.read(run);
        assertEquals(4, resumed.step());
        assertNull(resumed.state().autoencoderSha256());
        assertEquals(SCALE_FACTOR, resumed.info().scaleFactor());
    }

    @Test
    void theTwoCheckpointsSampleTogether() {
        GenerateConfig g = new GenerateConfig(2, 2, Sampler.DDIM, 2, 0, TimestepSpacing.LEADING, null, 1.5, 1);
        try (LatentDiffusionPipeline p = LatentDiffusionPipeline.load(fixture.resolve("ae"), fixture.resolve("ldm"),
                Device.cpu())) {
            UInt8Images images = p.generate(g, done -> { });
            assertArrayEquals(new long[] {2, 1, 16, 16}, images.shape());
        }
    }

    /** The first {@code n} columns of every row (the training columns; evaluations come after). */
    private static List<String> columns(Path csv, int n) throws IOException {
        return Files.readAllLines(csv).stream()
                .map(l -> String.join(",", List.of(l.split(",", -1)).subList(0, n)))
                .toList();
    }
}
