package ldm4j.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import ldm4j.core.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTarGzTest {
    @TempDir
    Path tmp;

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void extractsOnlyIncludedFilesInsideTheFolder() throws Exception {
        Path tgz = tmp.resolve("ok.tgz");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("package/a/x.txt", text("x"));
        entries.put("package/b/y.txt", text("y"));
        TestFiles.tgz(tgz, entries);
        Path out = tmp.resolve("out");
        assertEquals(1, SafeTarGz.extract(tgz, out, n -> n.startsWith("package/a/")));
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
        InputException e = assertThrows(InputException.class, () -> SafeTarGz.extract(tgz, out));
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
        InputException e = assertThrows(InputException.class, () -> SafeTarGz.extract(tgz, tmp.resolve("out")));
        assertTrue(e.getMessage().startsWith(tgz + ": entry '" + victim + "' has an absolute path"), e.getMessage());
        assertFalse(Files.exists(victim));
    }

    @Test
    void truncatedArchiveIsRefusedNamingIt() throws Exception {
        Path tgz = tmp.resolve("cut.tgz");
        TestFiles.tgz(tgz, Map.of("package/big.bin", new byte[100_000]));
        byte[] bytes = Files.readAllBytes(tgz);
        Files.write(tgz, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        InputException e = assertThrows(InputException.class, () -> SafeTarGz.extract(tgz, tmp.resolve("out")));
        assertTrue(e.getMessage().startsWith(tgz + ": not a complete tar.gz"), e.getMessage());
    }
}
