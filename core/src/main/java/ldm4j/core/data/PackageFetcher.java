package ldm4j.core.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Fetches a package tarball. The real one runs {@code npm pack}; tests substitute a fake that hands
 * back a prepared .tgz, so no test touches the network.
 */
@FunctionalInterface
public interface PackageFetcher {
    /**
     * Fetches {@code name@version} into {@code workDir}.
     *
     * @return the tarball and the checksums the registry reported for it
     */
    PackageArchive fetch(String name, String version, Path workDir) throws IOException;
}
