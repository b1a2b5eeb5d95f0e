package ldm4j.pipeline.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.IntStream;
import ldm4j.core.InputException;
import ldm4j.core.data.Dataset;
import ldm4j.core.data.UInt8Images;
import ldm4j.core.io.AtomicFiles;
import ldm4j.core.io.Checkpoint;
import ldm4j.core.io.Checkpoints;
import ldm4j.core.io.Json;
import ldm4j.core.io.Provenance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading a trained classifier and using it as a feature network. */
class FeatureNetworkTest {
    @TempDir
    static Path dir;

    static Dataset data;
    static ClassifierSummary summary;
    static FeatureNetwork net;
    static UInt8Images test;

    @BeforeAll
    static void trainAndLoad() throws IOException {
        data = TinySquares.open(dir, 70);
        summary = ClassifierTrainer.train(data, TinySquares.model(), TinySquares.training(), Device.cpu(),
                dir.resolve("clf"));
        net = FeatureNetwork.load(dir.resolve("clf"), Device.cpu());
        test = data.test().raw(IntStream.range(0, data.test().size()).toArray());
    }

    @AfterAll
    static void close() {
        net.close();
    }

    @Test
    void featuresHaveTheConfiguredDimension() {
        double[][] f = net.features(test);
        assertEquals(test.count(), f.length);
        for (double[] row : f) {
            assertEquals(24, row.length);
        }
        assertEquals(24, net.featureDim());
    }

    @Test
    void featuresAreDeterministicAndIndependentOfTheEntryPoint() {
        double[][] a = net.features(test);
        double[][] b = net.features(test.pixels(), test.count());
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i]);
        }
    }

    @Test
    void loadedNetworkReproducesTheTestAccuracyMeasuredBeforeSaving() {
        int[] predicted = net.predict(test);
        assertEquals(summary.testAccuracy(), ClassifierInference.accuracy(predicted, test.labels()));
        assertEquals(summary.testAccuracy(), net.testAccuracy());
        assertTrue(net.testAccuracy() >= 0.9, "test accuracy " + net.testAccuracy());
    }

    @Test
    void savedAndLoadedNetworkGivesIdenticalFeatures(@TempDir Path other) throws IOException {
        ClassifierConfig model = TinySquares.model();
        ClassifierRun run = new ClassifierRun(model, TinySquares.training(), DatasetFingerprint.of(data.info()));
        double[][] before;
        try (NDManager root = NDManager.newBaseManager(Device.cpu())) {
            FeatureClassifier block = new FeatureClassifier(model);
            block.initialize(root, DataType.FLOAT32, new Shape(8, 1, 16, 16));
            // training-mode passes move the BatchNorm running statistics away from their initial 0 and 1,
            // so a checkpoint without them would give other features
            for (int k = 0; k < 3; k++) {
                try (NDManager scope = root.newSubManager()) {
                    block.forward(new ParameterStore(scope, false),
                            new NDList(PixelTensors.toModelInput(scope, test.pixels(), 0, 8, 1, 16, 16)), true);
                }
            }
            int arrays = root.getManagedArrays().size();
            before = ClassifierInference.run(block, root, test.pixels(), test.count(), 1, 16, 16, 7, true).features();
            assertEquals(arrays, root.getManagedArrays().size(), "inference left arrays in the root manager");
            Checkpoints.save(other.resolve("checkpoint"), Checkpoint.of(ClassifierTrainer.KIND, run, 0, Map.of(), null,
                    Provenance.current(0, "cpu()")), block);
        }
        try (FeatureNetwork loaded = FeatureNetwork.load(other, Device.cpu())) {
            double[][] after = loaded.features(test);
            for (int i = 0; i < before.length; i++) {
                assertArrayEquals(before[i], after[i], 1e-6, "image " + i);
            }
        }
    }

    @Test
    void imagesOfAnotherShapeAreRefusedNamingBothShapes() {
        UInt8Images big = new UInt8Images(2, 1, 32, 32, new byte[2 * 32 * 32], null);
        InputException e = assertThrows(InputException.class, () -> net.features(big));
        assertTrue(e.getMessage().contains("1×32×32") && e.getMessage().contains("1×16×16"), e.getMessage());
        InputException bytes = assertThrows(InputException.class, () -> net.predict(new byte[100], 1));
        assertTrue(bytes.getMessage().contains("1×16×16"), bytes.getMessage());
    }

    @Test
    void otherDataIsRefused(@TempDir Path other) throws IOException {
        Dataset fewer = TinySquares.open(other, 20);
        InputException e = assertThrows(InputException.class, () -> net.requireSameData(fewer.info()));
        assertTrue(e.getMessage().contains("trained on"), e.getMessage());
        net.requireSameData(data.info());
    }

    @Test
    void checkpointOfAnotherKindIsOneClearError(@TempDir Path other) throws IOException {
        Path copy = copyCheckpoint(other);
        ObjectNode sidecar = (ObjectNode) Json.readTree(copy.resolve(Checkpoints.SIDECAR));
        sidecar.put("kind", "autoencoder");
        Json.write(copy.resolve(Checkpoints.SIDECAR), sidecar);
        InputException e = assertThrows(InputException.class, () -> FeatureNetwork.load(copy, Device.cpu()));
        assertTrue(e.getMessage().contains("'autoencoder'") && e.getMessage().contains("'classifier'"),
                e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void truncatedTensorFileIsOneClearErrorNamingIt(@TempDir Path other) throws IOException {
        Path copy = copyCheckpoint(other);
        Path tensors = Checkpoints.tensorFile(copy, Checkpoints.MODEL);
        byte[] bytes = Files.readAllBytes(tensors);
        Files.write(tensors, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        InputException e = assertThrows(InputException.class, () -> FeatureNetwork.load(copy, Device.cpu()));
        assertTrue(e.getMessage().startsWith(tensors.toString()), e.getMessage());
    }

    @Test
    void configThatDoesNotMatchTheTensorsIsOneClearError(@TempDir Path other) throws IOException {
        Path copy = copyCheckpoint(other);
        ObjectNode sidecar = (ObjectNode) Json.readTree(copy.resolve(Checkpoints.SIDECAR));
        ((ObjectNode) sidecar.get("config").get("model")).put("featureDim", 32);
        Json.write(copy.resolve(Checkpoints.SIDECAR), sidecar);
        InputException e = assertThrows(InputException.class, () -> FeatureNetwork.load(copy, Device.cpu()));
        assertTrue(e.getMessage().contains("model.safetensors") && e.getMessage().contains("shape"), e.getMessage());
    }

    @Test
    void missingCheckpointIsOneClearError(@TempDir Path other) {
        InputException e = assertThrows(InputException.class,
                () -> FeatureNetwork.load(other.resolve("nothing"), Device.cpu()));
        assertEquals(other.resolve("nothing") + ": does not exist, expected a train-classifier output or checkpoint "
                + "directory", e.getMessage());
    }

    /** A copy of the trained checkpoint folder under {@code other}. */
    private static Path copyCheckpoint(Path other) throws IOException {
        Path from = dir.resolve("clf").resolve(ClassifierTrainer.CHECKPOINT);
        Path to = other.resolve("ckpt");
        AtomicFiles.writeDirectory(to, tmp -> {
            for (String name : new String[] {Checkpoints.SIDECAR, "model.safetensors"}) {
                Files.copy(from.resolve(name), tmp.resolve(name));
            }
        });
        return to;
    }
}
