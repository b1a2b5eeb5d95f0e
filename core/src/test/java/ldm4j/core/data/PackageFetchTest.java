package ldm4j.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import ldm4j.core.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageFetchTest {
    @TempDir
    Path tmp;

    @Test
    void archiveMatchingRegistryChecksumsPassesVerification() throws Exception {
        Path tgz = tmp.resolve("p.tgz");
        TestFiles.tgz(tgz, Map.of("package/x", new byte[] {1, 2, 3}));
        PackageIntegrity.verify(TestFiles.archiveOf(tgz));
    }

    @Test
    void archiveWithAFlippedByteFailsVerificationNamingIt() throws Exception {
        Path tgz = tmp.resolve("p.tgz");
        TestFiles.tgz(tgz, Map.of("package/x", new byte[] {1, 2, 3}));
        PackageArchive reported = TestFiles.archiveOf(tgz);
        byte[] bytes = Files.readAllBytes(tgz);
        bytes[bytes.length / 2] ^= 1;
        Files.write(tgz, bytes);
        InputException e = assertThrows(InputException.class, () -> PackageIntegrity.verify(reported));
        assertTrue(e.getMessage().startsWith(tgz + ": sha512 is "), e.getMessage());
    }

    @Test
    void archiveWithoutSha512IntegrityIsRefused() throws Exception {
        Path tgz = tmp.resolve("p.tgz");
        Files.write(tgz, new byte[] {1});
        InputException e = assertThrows(InputException.class,
                () -> PackageIntegrity.verify(new PackageArchive(tgz, "sha1-AAAA", null, 0, 0)));
        assertTrue(e.getMessage().contains("no sha512 integrity"), e.getMessage());
    }

    /** A stand-in npm: writes a tarball into --pack-destination and prints what `npm pack --json` prints. */
    private Path fakeNpm(PackageArchive archive) throws Exception {
        return fakeNpm(archive, "\"unpackedSize\":" + archive.unpackedSize() + ",\"entryCount\":" + archive.entryCount());
    }

    private Path fakeNpm(PackageArchive archive, String sizes) throws Exception {
        Path script = tmp.resolve("npm");
        Files.writeString(script, "#!/bin/sh\n"
                + "[ \"$1 $2 $3 $4\" = \"pack --json --ignore-scripts --pack-destination\" ] || { echo \"bad args: $*\" >&2; exit 3; }\n"
                + "[ \"$6\" = \"demo@1.0.0\" ] || { echo \"bad spec: $6\" >&2; exit 4; }\n"
                + "echo 'npm notice fetching' >&2\n"
                + "cp '" + archive.tgz() + "' \"$5/demo-1.0.0.tgz\"\n"
                + "printf '[{\"id\":\"demo@1.0.0\",\"filename\":\"demo-1.0.0.tgz\",\"integrity\":\"%s\",\"shasum\":\"%s\","
                + sizes + "}]\\n' '"
                + archive.integrity() + "' '" + archive.shasum() + "'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    @Test
    void npmFetcherRunsNpmPackAndReadsItsJsonReport() throws Exception {
        Path src = tmp.resolve("src.tgz");
        TestFiles.tgz(src, Map.of("package/x", new byte[] {4, 5}));
        PackageArchive expected = TestFiles.archiveOf(src);
        PackageArchive got = new NpmPackageFetcher(fakeNpm(expected).toString())
                .fetch("demo", "1.0.0", tmp.resolve("work"));
        assertEquals(tmp.resolve("work/demo-1.0.0.tgz"), got.tgz());
        assertEquals(expected.integrity(), got.integrity());
        assertEquals(expected.shasum(), got.shasum());
        assertEquals(2, got.unpackedSize());
        assertEquals(1, got.entryCount());
        PackageIntegrity.verify(got);
    }

    @Test
    void npmReportWithoutUnpackedSizeIsRefused() throws Exception {
        Path src = tmp.resolve("src.tgz");
        TestFiles.tgz(src, Map.of("package/x", new byte[] {4, 5}));
        NpmPackageFetcher fetcher = new NpmPackageFetcher(fakeNpm(TestFiles.archiveOf(src), "\"entryCount\":1").toString());
        java.io.IOException e = assertThrows(java.io.IOException.class,
                () -> fetcher.fetch("demo", "1.0.0", tmp.resolve("work")));
        assertTrue(e.getMessage().startsWith("npm pack demo@1.0.0 reported no unpackedSize and entryCount"), e.getMessage());
    }

    @Test
    void npmFailureReportsItsExitCodeAndLastErrorLine() throws Exception {
        Path src = tmp.resolve("src.tgz");
        TestFiles.tgz(src, Map.of("package/x", new byte[] {4, 5}));
        NpmPackageFetcher fetcher = new NpmPackageFetcher(fakeNpm(TestFiles.archiveOf(src)).toString());
        java.io.IOException e = assertThrows(java.io.IOException.class,
                () -> fetcher.fetch("other", "2.0.0", tmp.resolve("work")));
        assertEquals("npm pack other@2.0.0 failed with exit code 4: bad spec: other@2.0.0", e.getMessage());
    }
}
