package ldm4j.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class EngineSmokeTest {
    @Test
    void pytorchEngineAddsTwoArrays() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {1, 2, 3});
            assertEquals(12f, a.add(a).sum().getFloat(), 1e-6);
            assertEquals("PyTorch", Engine.getInstance().getEngineName());
        }
    }
}
