package ldm4j.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ldm4j.core.InputException;
import org.junit.jupiter.api.Test;

class DeviceSpecTest {
    @Test
    void parsesEveryDocumentedForm() {
        assertEquals(new DeviceSpec(DeviceSpec.Kind.AUTO, 0), DeviceSpec.parse("auto"));
        assertEquals(new DeviceSpec(DeviceSpec.Kind.CPU, 0), DeviceSpec.parse("CPU"));
        assertEquals(new DeviceSpec(DeviceSpec.Kind.GPU, 0), DeviceSpec.parse("gpu"));
        assertEquals(new DeviceSpec(DeviceSpec.Kind.GPU, 3), DeviceSpec.parse("gpu:3"));
        assertEquals("gpu:3", DeviceSpec.parse("gpu:3").toString());
    }

    @Test
    void rejectsUnknownDeviceNamingTheFlag() {
        InputException e = assertThrows(InputException.class, () -> DeviceSpec.parse("tpu"));
        assertTrue(e.getMessage().startsWith("--device tpu:"), e.getMessage());
    }

    @Test
    void cpuAndAutoResolveWithoutGpu() {
        assertEquals(Device.cpu(), DeviceSpec.parse("cpu").resolve());
        Device auto = DeviceSpec.parse("auto").resolve();
        assertEquals(Engine.getInstance().getGpuCount() > 0, auto.isGpu());
    }

    @Test
    void missingGpuIsAClearInputError() {
        int gpus = Engine.getInstance().getGpuCount();
        InputException e =
                assertThrows(InputException.class, () -> DeviceSpec.parse("gpu:" + gpus).resolve());
        assertTrue(e.getMessage().contains("-Dcuda") || e.getMessage().contains("GPU"), e.getMessage());
    }

    @Test
    void describeNamesEngineDeviceAndThreads() {
        String line = EngineSetup.describe(Device.cpu());
        assertTrue(line.contains("PyTorch"), line);
        assertTrue(line.contains("threads"), line);
        assertTrue(line.contains(Versions.current().djl()), line);
    }
}
