package ldm4j.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import ldm4j.autoencoder.latent.LatentEncoder;
import ldm4j.autoencoder.latent.LatentMode;
import ldm4j.autoencoder.train.AutoencoderCheckpoint;
import ldm4j.autoencoder.train.AutoencoderTrainConfig;
import ldm4j.autoencoder.train.AutoencoderTrainer;
import ldm4j.core.InputException;
import ldm4j.core.data.Dataset;
import ldm4j.core.data.LatentSet;
import ldm4j.core.io.AtomicFiles;
import ldm4j.diffusion.train.DiffusionCheckpoint;
import ldm4j.diffusion.train.DiffusionData;
import ldm4j.diffusion.train.DiffusionTrainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sampling pairs a UNet only with the autoencoder whose latents it was trained on, told by the hash
 * of the weights that the latents and the UNet record, with the latents directory gone. Two tiny
 * autoencoders of the fixture's config (from seeds 3 and 5), latents of the first, and a UNet on them.
 */
class LatentPairingTest {
    @TempDir
    static Path dir;

    private static Path fixture;
    private static Path aeA;
    private static Path aeB;
    private static Path unet;
    private static String hashA;
    private static Dataset data;
    private static String spec;

    @BeforeAll
    static void train() throws IOException {
        fixture = MainFixturesTest.copyTo(dir);
        spec = "idx:" + fixture.resolve("data/images.idx") + "," + fixture.resolve("data/labels.idx");
        data = Dataset.open(spec);
        AutoencoderTrainConfig saved = AutoencoderCheckpoint.readConfig(fixture.resolve("ae/checkpoint"));
        aeA = AutoencoderTrainer.run(AutoencoderTrainConfig.resolve(saved, null, Map.of("seed", 3L)), data, spec,
                dir.resolve("ae-a"), null, Device.cpu()).checkpoint();
        aeB = AutoencoderTrainer.run(AutoencoderTrainConfig.resolve(saved, null, Map.of("seed", 5L)), data, spec,
                dir.resolve("ae-b"), null, Device.cpu()).checkpoint();
        Path latents = dir.resolve("latents");
        try (NDManager root = NDManager.newBaseManager(Device.cpu())) {
            AutoencoderCheckpoint a = AutoencoderCheckpoint.load(aeA, root);
            hashA = a.weightsSha256();
            LatentEncoder.encodeTo(latents, a, data, spec, LatentMode.MEAN, 8, 0, root);
            DiffusionData z = DiffusionData.latents(LatentSet.read(latents), latents.toString());
            DiffusionTrainer.start(DiffusionCheckpoint.read(fixture.resolve("ldm")).config(), z, dir.resolve("unet"),
                    root).run();
        }
        unet = dir.resolve("unet");
        assertEquals(hashA, LatentSet.read(latents).header().autoencoderSha256(), "latents.json records it");
        AtomicFiles.deleteRecursively(latents);
    }

    @Test
    void theUNetRecordsTheHashOfItsAutoencoderAndNoCopyOfTheScaleFactor() {
        DiffusionCheckpoint c = DiffusionCheckpoint.read(unet);
        assertEquals(hashA, c.state().autoencoderSha256());
        assertNull(c.info().scaleFactor(), "the scale factor is the autoencoder's, read from its checkpoint");
        assertFalse(Files.exists(Path.of(c.state().source())), "the latents are gone");
    }

    @Test
    void itsOwnAutoencoderSamplesItEvenMovedAndWithTheLatentsGone() throws IOException {
        Path moved = dir.resolve("moved/somewhere/ckpt");
        Files.createDirectories(moved.getParent());
        Files.move(aeA, moved);
        try (LatentDiffusionPipeline p = LatentDiffusionPipeline.load(moved, unet, Device.cpu())) {
            assertEquals(2, p.latentShape()[0]);
        } finally {
            Files.move(moved, aeA);
        }
    }

    @Test
    void anotherAutoencoderIsRefusedInOneLineNamingBothWithTheLatentsGone() {
        try (NDManager root = NDManager.newBaseManager(Device.cpu())) {
            assertNotEquals(hashA, AutoencoderCheckpoint.load(aeB, root).weightsSha256());
        }
        InputException e = assertThrows(InputException.class,
                () -> LatentDiffusionPipeline.load(aeB, unet, Device.cpu()));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().contains(aeB.toString()) && e.getMessage().contains(unet.toString())
                && e.getMessage().contains("another autoencoder"), e.getMessage());
    }

    @Test
    void aUNetOfMainWithoutAHashIsStillCheckedByItsRecordedScaleFactor() {
        // main's UNet recorded its latents' scale factor and the latents' path (/tmp/fx/latents, gone).
        InputException e = assertThrows(InputException.class,
                () -> LatentDiffusionPipeline.load(aeB, fixture.resolve("ldm"), Device.cpu()));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().contains("scale factor") && e.getMessage().contains(aeB.toString())
                && e.getMessage().contains(fixture.resolve("ldm").toString()), e.getMessage());
        LatentDiffusionPipeline.load(fixture.resolve("ae"), fixture.resolve("ldm"), Device.cpu()).close();
    }

    @Test
    void resumingTheUNetOnLatentsOfAnotherAutoencoderIsRefused() throws IOException {
        Path latentsB = dir.resolve("latents-b");
        try (NDManager root = NDManager.newBaseManager(Device.cpu())) {
            LatentEncoder.encodeTo(latentsB, AutoencoderCheckpoint.load(aeB, root), data, spec, LatentMode.MEAN, 8, 0,
                    root);
            DiffusionData z = DiffusionData.latents(LatentSet.read(latentsB), latentsB.toString());
            InputException e = assertThrows(InputException.class,
                    () -> DiffusionTrainer.resume(unet, z, dir.resolve("unet-b"), root, 4));
            assertTrue(e.getMessage().contains("another") && e.getMessage().contains(latentsB.toString()),
                    e.getMessage());
        }
    }
}
