package ldm4j.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import ldm4j.core.InputException;

/** Checks a fetched tarball's bytes against the checksums the registry reported. */
public final class PackageIntegrity {
    private PackageIntegrity() {}

    /**
     * Verifies the archive's sha512 integrity and, when present, its SHA-1 shasum.
     *
     * @throws InputException naming the .tgz when a checksum is missing or does not match
     */
    public static void verify(PackageArchive archive) throws IOException {
        String expected = sha512Of(archive);
        MessageDigest sha512 = digest("SHA-512");
        MessageDigest sha1 = digest("SHA-1");
        try (InputStream in = Files.newInputStream(archive.tgz())) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha512.update(buf, 0, n);
                sha1.update(buf, 0, n);
            }
        }
        String actual = Base64.getEncoder().encodeToString(sha512.digest());
        if (!actual.equals(expected)) {
            throw InputException.inFile(archive.tgz(),
                    "sha512 is " + actual + " but the registry reported " + expected + " (damaged download)");
        }
        if (archive.shasum() != null) {
            String actualSha1 = HexFormat.of().formatHex(sha1.digest());
            if (!actualSha1.equals(archive.shasum().toLowerCase(Locale.ROOT))) {
                throw InputException.inFile(archive.tgz(), "shasum is " + actualSha1
                        + " but the registry reported " + archive.shasum() + " (damaged download)");
            }
        }
    }

    /** The base64 sha512 out of an SRI string such as "sha512-AAA… sha1-BBB…". */
    private static String sha512Of(PackageArchive archive) {
        if (archive.integrity() != null) {
            for (String part : archive.integrity().trim().split("\\s+")) {
                if (part.startsWith("sha512-")) {
                    // SRI may append "?options" to a hash; they are not part of the digest
                    int q = part.indexOf('?');
                    return part.substring("sha512-".length(), q < 0 ? part.length() : q);
                }
            }
        }
        throw InputException.inFile(archive.tgz(),
                "the registry reported no sha512 integrity (got '" + archive.integrity() + "')");
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every JDK", e);
        }
    }
}
