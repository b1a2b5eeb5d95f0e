package ldm4j.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The weights hash that names "the same autoencoder": a function of the numbers and names only. */
class WeightsHashTest {
    @TempDir
    Path dir;

    private static Block linear(NDManager m, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        Block b = Linear.builder().setUnits(3).build();
        b.initialize(m, DataType.FLOAT32, new Shape(1, 4));
        return b;
    }

    @Test
    void theHashOfAFixedMapIsPinned() {
        // Latents and UNet sidecars keep hashes for good: the definition must never drift. The value
        // was checked with hashlib and struct in Python from the definition in WeightsHash.
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            tensors.put("b", m.create(new float[] {1f, -2f, 0.5f}));
            tensors.put("a", m.create(new float[] {3f, 4f, 5f, 6f}, new Shape(2, 2)));
            assertEquals("b2bc0924bd972c99aca478a68f5d84f5ffcc24b3a8806eb8403573e4e9790a28",
                    WeightsHash.sha256(tensors));
        }
    }

    @Test
    void theSameWeightsSavedAtTwoPathsAndLoadedBackHashAlike() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Block original = linear(m, 1);
            Path a = dir.resolve("one/ckpt");
            Path b = dir.resolve("elsewhere/deeper/other-name");
            Checkpoints.save(a, Checkpoint.of("test", Map.of(), 1, Map.of(), null, Provenance.current(0, "cpu()")),
                    original);
            Checkpoints.save(b, Checkpoint.of("test", Map.of(), 7, Map.of(), null, Provenance.current(1, "cpu()")),
                    original);
            Block fromA = linear(m, 2);
            Block fromB = linear(m, 3);
            assertNotEquals(WeightsHash.sha256(original), WeightsHash.sha256(fromA), "other seeds, other weights");
            Checkpoints.loadInto(a, Checkpoints.MODEL, fromA);
            Checkpoints.loadInto(b, Checkpoints.MODEL, fromB);
            String hash = WeightsHash.sha256(original);
            assertEquals(hash, WeightsHash.sha256(fromA));
            assertEquals(hash, WeightsHash.sha256(fromB), "neither the path nor the step in the files counts");
            assertTrue(hash.matches("[0-9a-f]{64}"), hash);
        }
    }

    @Test
    void oneChangedWeightChangesTheHashButTheMapOrderDoesNot() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block block = linear(m, 1);
            Map<String, NDArray> params = BlockParameters.collect(block);
            String before = WeightsHash.sha256(params);
            Map<String, NDArray> reversed = new LinkedHashMap<>();
            params.keySet().stream().sorted(java.util.Comparator.reverseOrder())
                    .forEach(k -> reversed.put(k, params.get(k)));
            assertEquals(before, WeightsHash.sha256(reversed));
            NDArray weight = params.get("weight");
            float w = weight.getFloat(1, 2);
            weight.set(new NDIndex(1, 2), Math.nextUp(w)); // one ulp, one weight
            assertNotEquals(before, WeightsHash.sha256(params));
            weight.set(new NDIndex(1, 2), w);
            assertEquals(before, WeightsHash.sha256(params));
        }
    }

    @Test
    void namesAndShapesCountNotOnlyTheBytes() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] v = {1f, 2f, 3f, 4f};
            String flat = WeightsHash.sha256(Map.of("w", m.create(v)));
            assertNotEquals(flat, WeightsHash.sha256(Map.of("w", m.create(v, new Shape(2, 2)))));
            assertNotEquals(flat, WeightsHash.sha256(Map.of("v", m.create(v))));
        }
    }
}
