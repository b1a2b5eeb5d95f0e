package ldm4j.pipeline.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import ldm4j.core.data.Dataset;
import ldm4j.core.io.AtomicFiles;
import ldm4j.core.io.Checkpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-dataset cache of feature networks. */
class FeatureNetworksTest {
    @TempDir
    Path dir;

    @Test
    void secondCallReusesTheCachedNetworkWithoutTraining() throws IOException {
        Dataset data = TinySquares.open(dir, 40);
        FeatureNetworks cache = new FeatureNetworks(dir.resolve("cache"));
        ClassifierTrainingConfig training = TinySquares.training().withSteps(20);
        Path folder = cache.directoryFor(data, TinySquares.model(), training);
        assertFalse(cache.isCached(data, TinySquares.model(), training));

        ClassifierSummary first = cache.ensure(data, TinySquares.model(), training, Device.cpu());
        Path tensors = Checkpoints.tensorFile(folder.resolve(ClassifierTrainer.CHECKPOINT), Checkpoints.MODEL);
        FileTime written = Files.getLastModifiedTime(tensors);
        String created = Checkpoints.readInfo(tensors.getParent()).provenance().created();
        assertTrue(cache.isCached(data, TinySquares.model(), training));
        assertTrue(Files.isRegularFile(folder.resolve(ClassifierTrainer.LOG)));
        assertFalse(AtomicFiles.hasLeftovers(folder.getParent()), "temporary folders left behind");

        try (FeatureNetwork net = cache.open(data, TinySquares.model(), training, Device.cpu())) {
            assertEquals(first.testAccuracy(), net.testAccuracy());
        }
        ClassifierSummary second = cache.ensure(data, TinySquares.model(), training, Device.cpu());
        assertEquals(first, second);
        assertEquals(written, Files.getLastModifiedTime(tensors), "the network was trained again");
        assertEquals(created, Checkpoints.readInfo(tensors.getParent()).provenance().created());
    }

    @Test
    void folderIsNamedAfterTheDatasetCacheAndTheRecipe() throws IOException {
        Dataset data = TinySquares.open(dir, 10);
        FeatureNetworks cache = new FeatureNetworks(dir.resolve("cache"));
        Path a = cache.directoryFor(data, TinySquares.model(), TinySquares.training());
        Path b = cache.directoryFor(data, TinySquares.model(), TinySquares.training().withSteps(99));
        Path c = cache.directoryFor(data, TinySquares.model().withFeatureDim(128), TinySquares.training());
        assertEquals(dir.resolve("cache").resolve(FeatureNetworks.FOLDER), a.getParent());
        assertTrue(a.getFileName().toString().startsWith(data.cachePath().getFileName() + "-"), a.toString());
        assertNotEquals(a, b);
        assertNotEquals(a, c);
        assertEquals(a, cache.directoryFor(data, TinySquares.model(), TinySquares.training()));
    }
}
