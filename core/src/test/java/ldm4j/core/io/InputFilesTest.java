package ldm4j.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import ldm4j.core.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What stands at a path, and the one line that says it is not what was expected. */
class InputFilesTest {
    @TempDir
    Path dir;

    @Test
    void requireFileNamesThePathWhatIsThereAndWhatWasExpected() throws Exception {
        Path file = Files.writeString(dir.resolve("f.npy"), "x");
        InputFiles.requireFile(file, "a .npy file");
        InputException e = assertThrows(InputException.class, () -> InputFiles.requireFile(dir, "a .npy file"));
        assertEquals(dir + ": is a directory, expected a .npy file", e.getMessage());
        assertEquals(dir, e.file());
        Path missing = dir.resolve("nope");
        assertEquals(missing + ": does not exist, expected a .npy file",
                assertThrows(InputException.class, () -> InputFiles.requireFile(missing, "a .npy file")).getMessage());
        Path under = file.resolve("x");
        assertEquals(under + ": does not exist (" + file + " is a file, not a directory), expected a .npy file",
                assertThrows(InputException.class, () -> InputFiles.requireFile(under, "a .npy file")).getMessage());
        Path socket = socket(dir.resolve("s"));
        assertEquals(socket + ": is not a regular file (a socket, pipe or device), expected a .npy file",
                assertThrows(InputException.class, () -> InputFiles.requireFile(socket, "a .npy file")).getMessage());
    }

    @Test
    void requireDirectoryRefusesFilesAndMissingPaths() throws Exception {
        InputFiles.requireDirectory(dir, "a checkpoint");
        Path file = Files.writeString(dir.resolve("f"), "x");
        assertEquals(file + ": is a file, expected a checkpoint",
                assertThrows(InputException.class, () -> InputFiles.requireDirectory(file, "a checkpoint")).getMessage());
        assertEquals(dir.resolve("no") + ": does not exist, expected a checkpoint", assertThrows(InputException.class,
                () -> InputFiles.requireDirectory(dir.resolve("no"), "a checkpoint")).getMessage());
    }

    /** chmod 000 stops everyone but root; as root the file stays readable and open() succeeds. */
    @Test
    void unreadableFileSaysPermissionDeniedWherePermissionsHold() throws Exception {
        Path file = Files.writeString(dir.resolve("locked"), "x");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        if (Files.isReadable(file)) {
            try (InputStream in = InputFiles.open(file, "a file")) {
                assertEquals('x', in.read());
            }
            return;
        }
        assertEquals(file + ": cannot be read (permission denied), expected a file",
                assertThrows(InputException.class, () -> InputFiles.open(file, "a file")).getMessage());
    }

    @Test
    void reasonDescribesThePathForBareOsErrorsAndKeepsOtherReasons() throws Exception {
        // the JDK's message for reading a directory is the bare "Is a directory"
        FileSystemException isDir = new FileSystemException(dir.toString(), null, "Is a directory");
        assertEquals("is a directory", InputFiles.reason(dir, isDir));
        assertEquals("does not exist", InputFiles.reason(dir.resolve("x"), new NoSuchFileException(dir + "/x")));
        assertEquals("permission denied", InputFiles.reason(dir, new AccessDeniedException(dir.toString())));
        assertEquals("read-only file system",
                InputFiles.reason(dir, new FileSystemException(dir.toString(), null, "Read-only file system")));
        assertEquals(dir + ": is a directory, expected a YAML file",
                InputFiles.fault(dir, isDir, "a YAML file").getMessage());
    }

    @Test
    void pathFaultsAreToldApartFromMachineFaults() {
        assertTrue(InputFiles.isPathFault(new NoSuchFileException("x")));
        assertTrue(InputFiles.isPathFault(new AccessDeniedException("x")));
        assertTrue(InputFiles.isPathFault(new FileSystemException("x", null, "Is a directory")));
        assertFalse(InputFiles.isPathFault(new FileSystemException("x", null, "No space left on device")));
        assertFalse(InputFiles.isPathFault(new FileSystemException("x", null, "Input/output error")));
        assertFalse(InputFiles.isPathFault(new IOException("x")));
    }

    private static Path socket(Path p) throws IOException {
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(p));
        }
        return p;
    }
}
