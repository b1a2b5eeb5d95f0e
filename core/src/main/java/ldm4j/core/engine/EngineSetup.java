package ldm4j.core.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ldm4j.core.InputException;

/**
 * Configures the PyTorch engine before it loads and describes it afterwards.
 *
 * <p>libtorch reads its thread counts once, when the engine starts, so {@link #configure} must run
 * before the first {@link Engine#getInstance()}: the CLI calls it right after parsing flags.
 */
public final class EngineSetup {
    private EngineSetup() {}

    /** Default thread count: every available core. */
    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Sets the engine's start-up properties: intra-op threads, one inter-op thread (ldm4j runs one
     * step at a time), no TorchScript graph optimiser (ldm4j runs no TorchScript, and it logs a line
     * at start) and offline mode (the CPU libtorch is bundled; nothing is downloaded). A property
     * the user already set with -D wins.
     */
    public static void configure(int threads) {
        if (threads <= 0) {
            throw new IllegalArgumentException("threads must be > 0, got " + threads);
        }
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        setDefault("ai.djl.pytorch.num_interop_threads", "1");
        setDefault("ai.djl.pytorch.graph_optimizer", "false");
        setDefault("ai.djl.offline", "true");
    }

    /** The intra-op thread count the engine was (or will be) started with. */
    public static int threads() {
        String s = System.getProperty("ai.djl.pytorch.num_threads");
        return s == null ? defaultThreads() : Integer.parseInt(s);
    }

    /**
     * Seeds the engine's generator. Runs are bit-exact only with one intra-op thread; with more,
     * libtorch's reductions may differ in the last bits between runs.
     */
    public static void seed(long seed) {
        engine().setRandomSeed((int) (seed ^ (seed >>> 32)));
    }

    /**
     * The engine, or one clear {@link InputException} when libtorch cannot be loaded: on the
     * {@code cuda} build that means no CUDA libtorch was found, and the message says where to point.
     */
    public static Engine engine() {
        try {
            return Engine.getInstance();
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            if (isCudaBuild()) {
                throw new InputException("the CUDA build (-Dcuda) could not load a CUDA libtorch "
                        + Versions.current().pytorch() + ": set PYTORCH_LIBRARY_PATH to its lib folder, "
                        + "PYTORCH_FLAVOR=cu128 and PYTORCH_VERSION=" + Versions.current().pytorch()
                        + ", or use the default CPU build (" + e.getMessage() + ")", e);
            }
            throw e;
        }
    }

    /** True when this build left the CPU libtorch out (Maven profile {@code cuda}). */
    public static boolean isCudaBuild() {
        return "cuda".equals(Versions.current().flavor());
    }

    /** One line naming the engine, its version, the device and the thread count. */
    public static String describe(Device device) {
        Engine engine = engine();
        Versions v = Versions.current();
        return String.format(
                "ldm4j %s | %s %s %s (DJL %s) | device %s | %d threads",
                v.ldm4j(), engine.getEngineName(), engine.getVersion(), v.flavor(), v.djl(), device, threads());
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
