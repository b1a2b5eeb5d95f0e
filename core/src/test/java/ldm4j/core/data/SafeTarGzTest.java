package ldm4j.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import ldm4j.core.InputException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTarGzTest {
    @TempDir
    Path tmp;

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Extracts everything, with the sizes npm would report for the archive as it is. */
    private static int extractAll(Path tgz, Path out) throws Exception {
        return SafeTarGz.extract(TestFiles.archiveOf(tgz), out, name -> true);
    }

    @Test
    void extractsOnlyIncludedFilesInsideTheFolder() throws Exception {
        Path tgz = tmp.resolve("ok.tgz");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("package/a/x.txt", text("x"));
        entries.put("package/b/y.txt", text("y"));
        TestFiles.tgz(tgz, entries);
        Path out = tmp.resolve("out");
        assertEquals(1, SafeTarGz.extract(TestFiles.archiveOf(tgz), out, n -> n.startsWith("package/a/")));
        assertEquals("x", Files.readString(out.resolve("package/a/x.txt")));
        assertFalse(Files.exists(out.resolve("package/b")));
    }

    @Test
    void entryClimbingOutWithDotDotIsRefusedNamingArchiveAndEntry() throws Exception {
        Path tgz = tmp.resolve("evil.tgz");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("package/ok.txt", text("fine"));
        entries.put("package/../../escaped.txt", text("gotcha"));
        TestFiles.tgz(tgz, entries);
        Path out = tmp.resolve("deep/out");
        InputException e = assertThrows(InputException.class, () -> extractAll(tgz, out));
        assertEquals(tgz + ": entry 'package/../../escaped.txt' escapes the extraction folder; refusing to extract",
                e.getMessage());
        assertFalse(Files.exists(tmp.resolve("deep/escaped.txt")));
        assertFalse(Files.exists(tmp.resolve("escaped.txt")));
    }

    @Test
    void entryWithAbsolutePathIsRefusedNamingArchiveAndEntry() throws Exception {
        Path tgz = tmp.resolve("abs.tgz");
        Path victim = tmp.resolve("victim.txt");
        TestFiles.tgz(tgz, Map.of(victim.toString(), text("overwritten")));
        InputException e = assertThrows(InputException.class, () -> extractAll(tgz, tmp.resolve("out")));
        assertTrue(e.getMessage().startsWith(tgz + ": entry '" + victim + "' has an absolute path"), e.getMessage());
        assertFalse(Files.exists(victim));
    }

    @Test
    void truncatedArchiveIsRefusedNamingIt() throws Exception {
        Path tgz = tmp.resolve("cut.tgz");
        TestFiles.tgz(tgz, Map.of("package/big.bin", new byte[100_000]));
        PackageArchive reported = TestFiles.archiveOf(tgz);
        byte[] bytes = Files.readAllBytes(tgz);
        Files.write(tgz, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        InputException e = assertThrows(InputException.class, () -> SafeTarGz.extract(reported, tmp.resolve("out"), n -> true));
        assertTrue(e.getMessage().startsWith(tgz + ": not a complete tar.gz"), e.getMessage());
    }

    /** npm listed a 10-byte package; the tarball's entry is 32 MiB of zeros (32 KiB of gzip). */
    @Test
    void entryPastTheUnpackedSizeNpmReportedIsRefusedBeforeAnyOfItIsWritten() throws Exception {
        Path tgz = tmp.resolve("bomb.tgz");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("package/a/ok.txt", text("fine"));
        entries.put("package/a/zeros.bin", new byte[32 << 20]);
        TestFiles.tgz(tgz, entries);
        assertTrue(Files.size(tgz) < 100_000, "the bomb itself is small: " + Files.size(tgz));
        PackageArchive reported = new PackageArchive(tgz, null, null, 10, 2);
        Path out = tmp.resolve("out");
        InputException e = assertThrows(InputException.class, () -> SafeTarGz.extract(reported, out, n -> true));
        assertEquals(tgz + ": entry 'package/a/zeros.bin' (33554432 bytes) takes the unpacked size to 33554436 bytes, "
                + "past the 10 bytes npm reported; refusing to extract", e.getMessage());
        assertFalse(Files.exists(out.resolve("package/a/zeros.bin")));
    }

    @Test
    void moreEntriesThanNpmReportedAreRefusedNamingTheFirstExtraOne() throws Exception {
        Path tgz = tmp.resolve("many.tgz");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            entries.put("package/e" + i, new byte[0]);
        }
        TestFiles.tgz(tgz, entries);
        PackageArchive reported = new PackageArchive(tgz, null, null, 0, 3);
        InputException e = assertThrows(InputException.class, () -> SafeTarGz.extract(reported, tmp.resolve("out"), n -> true));
        assertEquals(tgz + ": entry 'package/e3' is entry 4, but npm reported 3 entries; refusing to extract", e.getMessage());
    }

    /** Sizes and counts match, but a PAX header, which tar reads into memory, holds 8 MiB. */
    @Test
    void archiveExpandingPastItsEntriesAndHeadersIsRefused() throws Exception {
        Path tgz = tmp.resolve("pax.tgz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tgz));
                TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            TarArchiveEntry first = new TarArchiveEntry("package/a.txt");
            first.setSize(1);
            tar.putArchiveEntry(first);
            tar.write('a');
            tar.closeArchiveEntry();
            TarArchiveEntry padded = new TarArchiveEntry("package/b.txt");
            padded.addPaxHeader("comment", "x".repeat(8 << 20));
            padded.setSize(1);
            tar.putArchiveEntry(padded);
            tar.write('b');
            tar.closeArchiveEntry();
        }
        PackageArchive reported = TestFiles.archiveOf(tgz);
        assertEquals(2, reported.unpackedSize());
        InputException e = assertThrows(InputException.class, () -> SafeTarGz.extract(reported, tmp.resolve("out"), n -> true));
        assertTrue(e.getMessage().startsWith(tgz + ": expands past " + (2 + 2 * SafeTarGz.HEADER_ROOM + SafeTarGz.TRAILER_ROOM)
                + " bytes, more than the 2 bytes in 2 entries npm reported and their tar headers (after entry "
                + "'package/a.txt')"), e.getMessage());
    }
}
