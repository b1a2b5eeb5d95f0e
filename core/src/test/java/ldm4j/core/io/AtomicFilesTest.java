package ldm4j.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic writes never put a file where a directory is, or a directory where the user's file is. */
class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void writingADirectoryOverAFileIsRefusedBeforeTheWorkAndKeepsTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.txt"), "mine");
        AtomicBoolean ran = new AtomicBoolean();
        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
                () -> AtomicFiles.writeDirectory(file, tmp -> ran.set(true)));
        assertEquals(file.toAbsolutePath().toString(), e.getFile());
        assertFalse(ran.get());
        assertEquals("mine", Files.readString(file));
    }

    @Test
    void writingAFileOverADirectoryIsRefusedAndKeepsTheDirectory() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("grid.png"));
        FileSystemException e = assertThrows(FileSystemException.class,
                () -> AtomicFiles.writeString(empty, "png"));
        assertEquals("Is a directory", e.getReason());
        assertTrue(Files.isDirectory(empty));
        assertFalse(AtomicFiles.hasLeftovers(dir));
    }

    @Test
    void aTemporarysTargetIsTheFileItStandsFor() throws Exception {
        Path[] seen = new Path[1];
        AtomicFiles.writeDirectory(dir.resolve("latents"), tmp -> seen[0] = tmp);
        assertEquals(dir.resolve("latents").toAbsolutePath(), AtomicFiles.targetOf(seen[0]));
        AtomicFiles.write(dir.resolve("grid.png"), tmp -> seen[0] = tmp);
        assertEquals(dir.resolve("grid.png").toAbsolutePath(), AtomicFiles.targetOf(seen[0]));
        assertEquals(dir.resolve("plain.txt"), AtomicFiles.targetOf(dir.resolve("plain.txt")));
        assertEquals(dir.resolve(".hidden"), AtomicFiles.targetOf(dir.resolve(".hidden")));
    }
}
