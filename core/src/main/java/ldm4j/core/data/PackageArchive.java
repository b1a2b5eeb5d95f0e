package ldm4j.core.data;

import java.nio.file.Path;

/**
 * A package tarball as the package manager handed it over, with the checksums it reported.
 *
 * @param tgz the downloaded .tgz
 * @param integrity the Subresource-Integrity string, e.g. "sha512-BASE64" (may list several)
 * @param shasum the hex SHA-1 of the .tgz, or {@code null} if not reported
 */
public record PackageArchive(Path tgz, String integrity, String shasum) {}
