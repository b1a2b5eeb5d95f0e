package ldm4j.core.data;

import java.nio.file.Path;

/**
 * A package tarball as the package manager handed it over, with the checksums and sizes it reported.
 *
 * <p>npm computes {@code unpackedSize} and {@code entryCount} by listing the very tarball whose
 * sha512 {@link PackageIntegrity} checks, so once the checksum matches they bound what extracting
 * it may write ({@link SafeTarGz}).
 *
 * @param tgz the downloaded .tgz
 * @param integrity the Subresource-Integrity string, e.g. "sha512-BASE64" (may list several)
 * @param shasum the hex SHA-1 of the .tgz, or {@code null} if not reported
 * @param unpackedSize the sum of the entries' sizes, npm's {@code unpackedSize}
 * @param entryCount the number of entries, npm's {@code entryCount}
 */
public record PackageArchive(Path tgz, String integrity, String shasum, long unpackedSize, long entryCount) {
    public PackageArchive {
        if (unpackedSize < 0 || entryCount < 0) {
            throw new IllegalArgumentException("unpackedSize and entryCount must be >= 0, got "
                    + unpackedSize + " and " + entryCount);
        }
    }
}
