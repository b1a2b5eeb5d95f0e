package ldm4j.core.engine;

import ai.djl.Device;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ldm4j.core.InputException;

/**
 * A device as the user names it: {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:i}.
 *
 * <p>{@code auto} resolves to the first GPU when the engine sees one, otherwise the CPU. Naming a GPU
 * that is not there is an {@link InputException} that says how to get a CUDA build.
 */
public record DeviceSpec(Kind kind, int index) {
    /** What the user asked for. */
    public enum Kind {
        AUTO,
        CPU,
        GPU
    }

    private static final Pattern GPU = Pattern.compile("gpu(?::(\\d+))?");

    /** Parses {@code auto|cpu|gpu[:i]}, case-insensitively. */
    public static DeviceSpec parse(String text) {
        String s = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("auto")) {
            return new DeviceSpec(Kind.AUTO, 0);
        }
        if (s.equals("cpu")) {
            return new DeviceSpec(Kind.CPU, 0);
        }
        Matcher m = GPU.matcher(s);
        if (m.matches()) {
            return new DeviceSpec(Kind.GPU, m.group(1) == null ? 0 : Integer.parseInt(m.group(1)));
        }
        throw new InputException("--device " + text + ": expected auto, cpu, gpu or gpu:<index>");
    }

    /** The DJL device this spec names; loads the engine. */
    public Device resolve() {
        int gpus = EngineSetup.engine().getGpuCount();
        if (gpus == 0 && EngineSetup.isCudaBuild() && kind != Kind.CPU) {
            throw new InputException("--device " + this + ": this is the CUDA build (-Dcuda) but no CUDA GPU "
                    + "is visible; use --device cpu or the default CPU build");
        }
        return switch (kind) {
            case CPU -> Device.cpu();
            case AUTO -> gpus > 0 ? Device.gpu(0) : Device.cpu();
            case GPU -> {
                if (index >= gpus) {
                    throw new InputException("--device " + this + ": "
                            + (gpus == 0 ? "no CUDA GPU is visible to this build" : "only " + gpus + " GPU(s) found")
                            + " (the default build bundles the CPU libtorch; see README 'CUDA' for the -Dcuda build)");
                }
                yield Device.gpu(index);
            }
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case AUTO -> "auto";
            case CPU -> "cpu";
            case GPU -> "gpu:" + index;
        };
    }
}
