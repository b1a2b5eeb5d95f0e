package ldm4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ldm4j.core.InputException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointsTest {
    record TinyConfig(int inChannels, int filters) {}

    @TempDir
    Path dir;

    NDManager m;

    @BeforeEach
    void open() {
        m = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        m.close();
    }

    /** Conv2d(in → 4, 3×3) → flatten → Linear(3), initialised from {@code seed}. */
    private SequentialBlock block(int inChannels, int seed) {
        SequentialBlock b = new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(4).build())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(3).build());
        Engine.getInstance().setRandomSeed(seed);
        b.initialize(m, DataType.FLOAT32, new Shape(1, inChannels, 5, 5));
        return b;
    }

    private float[] forward(SequentialBlock b, NDArray x) {
        return b.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow().toFloatArray();
    }

    private Checkpoint info(long step) {
        return Checkpoint.of("tiny", new TinyConfig(1, 4), step, Map.of("loss", 0.25), 0.18,
                Provenance.current(7, "cpu()"));
    }

    @Test
    void savedBlockLoadsIntoAFreshBlockWithIdenticalOutputs() throws Exception {
        SequentialBlock a = block(1, 1);
        SequentialBlock b = block(1, 2);
        NDArray x = m.randomNormal(new Shape(2, 1, 5, 5));
        assertFalse(java.util.Arrays.equals(forward(a, x), forward(b, x)), "different seeds differ");
        Path ckpt = dir.resolve("ckpt");
        Checkpoints.save(ckpt, info(10), a);
        Checkpoints.loadInto(ckpt, Checkpoints.MODEL, b);
        assertArrayEquals(forward(a, x), forward(b, x));
        assertEquals(List.of("01Conv2d_weight", "01Conv2d_bias", "03Linear_weight", "03Linear_bias"),
                List.copyOf(BlockParameters.collect(b).keySet()));
    }

    @Test
    void loadingLeavesNoArraysBehindOnTheParametersManager() throws Exception {
        SequentialBlock a = block(1, 1);
        Path ckpt = dir.resolve("ckpt");
        Checkpoints.save(ckpt, info(1), a);
        int before = m.getManagedArrays().size();
        Checkpoints.loadInto(ckpt, Checkpoints.MODEL, a);
        assertEquals(before, m.getManagedArrays().size());
    }

    @Test
    void sidecarRoundTripsWithConfigMetricsScaleAndProvenance() throws Exception {
        Path ckpt = dir.resolve("ckpt");
        Checkpoint in = info(42).withState(Map.of("epoch", 3));
        Checkpoints.save(ckpt, in, block(1, 1));
        Checkpoint out = Checkpoints.readInfo(ckpt, "tiny");
        assertEquals(in, out);
        assertEquals(new TinyConfig(1, 4), out.config(TinyConfig.class, ckpt.resolve(Checkpoints.SIDECAR)));
        assertEquals(0.18, out.scaleFactor());
        assertEquals(7, out.provenance().seed());
        assertEquals(Engine.getDjlVersion(), out.provenance().djlVersion());
        assertTrue(out.provenance().engine().startsWith("PyTorch "));
        assertEquals(Map.of("format", "pt", "kind", "tiny", "step", "42"),
                Safetensors.readHeader(Checkpoints.tensorFile(ckpt, "model")).metadata());
    }

    @Test
    void divergedLossStillRoundTripsThroughTheSidecar() throws Exception {
        Path ckpt = dir.resolve("ckpt");
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("loss", Double.NaN);
        metrics.put("psnr", Double.POSITIVE_INFINITY);
        Checkpoints.save(ckpt, Checkpoint.of("tiny", Map.of("ch", 4), 5, metrics, null, Provenance.current(1, "cpu()")),
                block(1, 1));
        Checkpoint back = Checkpoints.readInfo(ckpt);
        assertTrue(back.metrics().get("loss").isNaN());
        assertEquals(Double.POSITIVE_INFINITY, back.metrics().get("psnr"));
        assertEquals(List.of("loss", "psnr"), List.copyOf(back.metrics().keySet()));
        assertNull(back.scaleFactor());
        assertFalse(Files.readString(ckpt.resolve(Checkpoints.SIDECAR)).contains("scaleFactor"));
    }

    @Test
    void extraTensorFilesAreSavedBesideTheModel() throws Exception {
        SequentialBlock a = block(1, 1);
        Path ckpt = dir.resolve("ckpt");
        Map<String, NDArray> ema = new LinkedHashMap<>();
        BlockParameters.collect(a).forEach((k, v) -> ema.put(k, v.mul(2)));
        Checkpoints.save(ckpt, info(3), Map.of(Checkpoints.MODEL, BlockParameters.collect(a), Checkpoints.EMA, ema));
        assertTrue(Checkpoints.hasTensors(ckpt, Checkpoints.EMA));
        assertFalse(Checkpoints.hasTensors(ckpt, Checkpoints.OPTIMIZER));
        NDArray w = Checkpoints.readTensors(ckpt, Checkpoints.EMA, m).get("03Linear_bias");
        assertArrayEquals(ema.get("03Linear_bias").toFloatArray(), w.toFloatArray());
    }

    @Test
    void overwritingACheckpointLeavesNoTemporaries() throws Exception {
        Path ckpt = dir.resolve("ckpt");
        Checkpoints.save(ckpt, info(1), block(1, 1));
        Checkpoints.save(ckpt, info(2), block(1, 2));
        assertEquals(2, Checkpoints.readInfo(ckpt).step());
        assertFalse(AtomicFiles.hasLeftovers(dir));
        try (var files = Files.list(ckpt)) {
            assertEquals(2, files.count());
        }
    }

    @Test
    void wrongShapeIsOneLineNamingFileTensorAndBothShapes() throws Exception {
        Path ckpt = dir.resolve("ckpt");
        Checkpoints.save(ckpt, info(1), block(3, 1));
        SequentialBlock grey = block(1, 1);
        InputException e = assertThrows(InputException.class, () -> Checkpoints.loadInto(ckpt, "model", grey));
        assertEquals(ckpt.resolve("model.safetensors")
                + ": tensor 01Conv2d_weight has shape (4, 3, 3, 3), model expects (4, 1, 3, 3)", e.getMessage());
    }

    @Test
    void missingAndUnexpectedTensorsAreNamed() throws Exception {
        SequentialBlock a = block(1, 1);
        Path f = dir.resolve("model.safetensors");
        Map<String, NDArray> partial = new LinkedHashMap<>(BlockParameters.collect(a));
        partial.remove("03Linear_bias");
        assertEquals(f + ": missing tensor 03Linear_bias (3) that the model expects",
                assertThrows(InputException.class, () -> BlockParameters.load(a, partial, f)).getMessage());
        Map<String, NDArray> extra = new LinkedHashMap<>(BlockParameters.collect(a));
        extra.put("encoder_conv_in_weight", m.zeros(new Shape(1)));
        assertEquals(f + ": tensor encoder_conv_in_weight is not a parameter of the model",
                assertThrows(InputException.class, () -> BlockParameters.load(a, extra, f)).getMessage());
        partial.remove("01Conv2d_bias");
        partial.putAll(Map.of("x", m.zeros(new Shape(1)), "y", m.zeros(new Shape(1))));
        assertEquals(f + ": missing tensor 01Conv2d_bias (4) that the model expects (and 3 more faults)",
                assertThrows(InputException.class, () -> BlockParameters.load(a, partial, f)).getMessage());
    }

    @Test
    void corruptModelFileNamesTheFile() throws Exception {
        Path ckpt = dir.resolve("ckpt");
        Checkpoints.save(ckpt, info(1), block(1, 1));
        Path model = ckpt.resolve("model.safetensors");
        byte[] b = Files.readAllBytes(model);
        Files.write(model, java.util.Arrays.copyOf(b, b.length / 2));
        InputException e = assertThrows(InputException.class,
                () -> Checkpoints.loadInto(ckpt, Checkpoints.MODEL, block(1, 1)));
        assertTrue(e.getMessage().startsWith(model + ": tensor "), e.getMessage());
        assertTrue(e.getMessage().contains("out of range"), e.getMessage());
    }

    /** Before a run continues from a checkpoint, every file in it must read back whole, whichever one is cut. */
    @Test
    void requireIntactNamesATruncatedTensorFileOrAMissingRequiredOne() throws Exception {
        SequentialBlock a = block(1, 1);
        Path ckpt = dir.resolve("ckpt");
        Map<String, NDArray> ema = new LinkedHashMap<>(BlockParameters.collect(a));
        Checkpoints.save(ckpt, info(3), Map.of(Checkpoints.MODEL, BlockParameters.collect(a), Checkpoints.EMA, ema));
        assertEquals(3, Checkpoints.requireIntact(ckpt, "tiny", Checkpoints.MODEL).step());
        assertEquals(ckpt.resolve("optimizer.safetensors") + ": does not exist, expected a .safetensors file", assertThrows(InputException.class,
                () -> Checkpoints.requireIntact(ckpt, "tiny", Checkpoints.MODEL, Checkpoints.OPTIMIZER)).getMessage());
        Path emaFile = ckpt.resolve("ema.safetensors");
        byte[] b = Files.readAllBytes(emaFile);
        Files.write(emaFile, java.util.Arrays.copyOf(b, b.length - 4));
        InputException e = assertThrows(InputException.class,
                () -> Checkpoints.requireIntact(ckpt, "tiny", Checkpoints.MODEL));
        assertTrue(e.getMessage().startsWith(emaFile + ": "), "an optional file is checked too: " + e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void missingDirectoryFileOrFieldIsReported() throws Exception {
        Path none = dir.resolve("none");
        assertEquals(none + ": does not exist, expected a checkpoint directory (checkpoint.json and .safetensors files)",
                assertThrows(InputException.class, () -> Checkpoints.readInfo(none)).getMessage());
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertEquals(empty + ": has no checkpoint.json, expected a checkpoint directory (checkpoint.json and "
                + ".safetensors files)", assertThrows(InputException.class, () -> Checkpoints.readInfo(empty)).getMessage());
        Path ckpt = dir.resolve("ckpt");
        Checkpoints.save(ckpt, info(1), block(1, 1));
        Path sidecar = ckpt.resolve(Checkpoints.SIDECAR);
        ObjectNode tree = (ObjectNode) Json.readTree(sidecar);
        tree.remove("step");
        Files.writeString(sidecar, tree.toString());
        assertEquals(sidecar + ": missing field 'step'",
                assertThrows(InputException.class, () -> Checkpoints.readInfo(ckpt)).getMessage());
        tree.put("step", -5);
        Files.writeString(sidecar, tree.toString());
        assertEquals(sidecar + ": step must be >= 0, got -5",
                assertThrows(InputException.class, () -> Checkpoints.readInfo(ckpt)).getMessage());
        tree.put("step", 5);
        Files.writeString(sidecar, tree.toString());
        assertEquals(sidecar + ": checkpoint kind is 'tiny', expected 'unet'",
                assertThrows(InputException.class, () -> Checkpoints.readInfo(ckpt, "unet")).getMessage());
        assertNull(Checkpoints.readInfo(ckpt).state());
        Files.delete(ckpt.resolve("model.safetensors"));
        assertEquals(ckpt.resolve("model.safetensors") + ": does not exist, expected a .safetensors file",
                assertThrows(InputException.class,
                        () -> Checkpoints.loadInto(ckpt, Checkpoints.MODEL, block(1, 1))).getMessage());
    }
}
