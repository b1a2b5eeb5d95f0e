package ldm4j.cli.options;

import ai.djl.Device;
import ldm4j.core.engine.DeviceSpec;
import ldm4j.core.engine.EngineSetup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** {@code --device}, {@code --threads} and {@code --seed}, shared by every command that computes. */
public final class EngineOptions {
    private static final Logger LOG = LoggerFactory.getLogger("ldm4j");

    @Option(names = "--device", paramLabel = "auto|cpu|gpu[:i]", defaultValue = "auto",
            description = "Device to run on; auto = first GPU when present, else CPU (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--threads", paramLabel = "N",
            description = "Intra-op CPU threads (default: all available cores).")
    Integer threads;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Random seed; the same seed, config and device give the same numbers (default: ${DEFAULT-VALUE}).")
    long seed;

    public long seed() {
        return seed;
    }

    /**
     * Starts the engine with the chosen threads, seeds it, resolves the device and prints the
     * one-line engine description that every long command starts with.
     */
    public Device start() {
        DeviceSpec spec = DeviceSpec.parse(device); // before the engine loads: a typo costs nothing
        if (threads != null && threads <= 0) {
            throw new ldm4j.core.InputException("--threads " + threads + ": must be at least 1");
        }
        EngineSetup.configure(threads == null ? EngineSetup.defaultThreads() : threads);
        Device d = spec.resolve();
        EngineSetup.seed(seed);
        LOG.info(EngineSetup.describe(d));
        return d;
    }
}
