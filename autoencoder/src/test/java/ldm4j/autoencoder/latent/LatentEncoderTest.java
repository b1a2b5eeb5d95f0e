package ldm4j.autoencoder.latent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import ldm4j.autoencoder.train.AutoencoderCheckpoint;
import ldm4j.autoencoder.train.AutoencoderTrainer;
import ldm4j.autoencoder.train.TinyDataAccess;
import ldm4j.core.InputException;
import ldm4j.core.data.Dataset;
import ldm4j.core.data.LatentSet;
import ldm4j.core.io.Checkpoints;
import ldm4j.core.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading checkpoints for inference and encoding a dataset into a latent set. */
class LatentEncoderTest {
    @TempDir
    static Path dir;

    private static Dataset data;
    private static Path checkpoint;

    @BeforeAll
    static void trainTwoSteps() throws IOException {
        data = TinyDataAccess.open(dir.resolve("data"), 36, 5);
        checkpoint = AutoencoderTrainer.run(TinyDataAccess.config(2), data, "tiny", dir.resolve("run"), null,
                Device.cpu()).checkpoint();
    }

    @Test
    void encodeWritesPosteriorMeansWithMatchingShapeAndCounts() throws IOException {
        Path out = dir.resolve("latents");
        try (NDManager m = NDManager.newBaseManager()) {
            AutoencoderCheckpoint ae = AutoencoderCheckpoint.load(checkpoint, m);
            LatentEncoder.encodeTo(out, ae, data, "tiny", LatentMode.MEAN, 5, 0, m);
            LatentSet set = LatentSet.read(out);
            LatentSet.Header h = set.header();
            assertArrayEquals(new long[] {4, 8, 8}, h.shape()); // z 4, f = 2 on 16×16
            assertEquals(data.train().size(), h.trainCount());
            assertEquals(data.test().size(), h.testCount());
            assertEquals(ae.scaleFactor(), h.scaleFactor());
            assertEquals("mean", h.mode());
            assertEquals(data.train().label(3), set.trainLabels()[3]);
            int[] all = new int[data.test().size()];
            Arrays.setAll(all, i -> i);
            float[] expected = ae.model().encode(new ParameterStore(m, false),
                    data.test().batch(m, all).images(), false).mean().toFloatArray();
            assertArrayEquals(expected, set.test(), 1e-5f);
        }
    }

    @Test
    void checkpointOfAnotherWidthIsOneErrorNamingTheFile() throws IOException {
        Path other = copy("other-width");
        Path sidecar = other.resolve(Checkpoints.SIDECAR);
        ObjectNode tree = (ObjectNode) Json.readTree(sidecar);
        ((ObjectNode) tree.get("config").get("model")).put("ch", 32);
        Json.write(sidecar, tree);
        try (NDManager m = NDManager.newBaseManager()) {
            InputException e = assertThrows(InputException.class, () -> AutoencoderCheckpoint.load(other, m));
            assertTrue(e.getMessage().contains("model.safetensors") && e.getMessage().contains("shape"), e.getMessage());
        }
    }

    @Test
    void corruptWeightsAreOneErrorNamingTheFile() throws IOException {
        Path broken = copy("corrupt");
        Path weights = broken.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(weights, Arrays.copyOf(bytes, bytes.length / 2));
        try (NDManager m = NDManager.newBaseManager()) {
            InputException e = assertThrows(InputException.class, () -> AutoencoderCheckpoint.load(broken, m));
            assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
        }
    }

    private Path copy(String name) throws IOException {
        Path target = dir.resolve(name);
        Files.createDirectories(target);
        try (var files = Files.list(checkpoint)) {
            for (Path f : files.toList()) {
                Files.copy(f, target.resolve(f.getFileName()));
            }
        }
        return target;
    }
}
