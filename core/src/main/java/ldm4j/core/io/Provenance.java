package ldm4j.core.io;

import ai.djl.engine.Engine;
import java.time.Instant;
import java.util.Objects;
import ldm4j.core.engine.Versions;

/**
 * Where a checkpoint or report came from, so a number can be traced to the code and machine that
 * made it.
 *
 * @param ldm4jVersion the ldm4j version this build was made from
 * @param commit the git commit, or null when unknown (the launcher passes {@code -Dldm4j.commit})
 * @param javaVersion {@code java.version} of the JVM that wrote it
 * @param djlVersion the DJL version
 * @param engine the engine name and version, e.g. "PyTorch 2.7.1"
 * @param created ISO-8601 instant of writing
 * @param seed the run's seed
 * @param device the device the tensors were computed on, e.g. "cpu()" or "gpu(0)"
 */
public record Provenance(
        String ldm4jVersion,
        String commit,
        String javaVersion,
        String djlVersion,
        String engine,
        String created,
        long seed,
        String device) {

    public Provenance {
        Objects.requireNonNull(ldm4jVersion, "ldm4jVersion");
        Objects.requireNonNull(javaVersion, "javaVersion");
        Objects.requireNonNull(djlVersion, "djlVersion");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(device, "device");
    }

    /** The provenance of this process, now, for a run with {@code seed} on {@code device}. */
    public static Provenance current(long seed, String device) {
        Engine engine = Engine.getInstance();
        return new Provenance(
                Versions.current().ldm4j(),
                System.getProperty("ldm4j.commit"),
                System.getProperty("java.version"),
                Engine.getDjlVersion(),
                engine.getEngineName() + " " + engine.getVersion(),
                Instant.now().toString(),
                seed,
                device);
    }
}
