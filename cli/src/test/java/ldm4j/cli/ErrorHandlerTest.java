package ldm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import ldm4j.core.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The central translation of failures into one line: which flag named the file, and what it wanted. */
class ErrorHandlerTest {
    @TempDir
    Path dir;

    /** A command with the kinds of path flag ldm4j has; it throws whatever the test hands it. */
    @Command(name = "probe")
    static final class Probe implements Callable<Integer> {
        @Option(names = "--samples", paramLabel = "FILE.npy")
        Path samples;

        @Option(names = "--out", paramLabel = "DIR")
        Path out;

        @Option(names = "--data", paramLabel = "NAME|SPEC")
        String data;

        Exception toThrow;

        @Override
        public Integer call() throws Exception {
            throw toThrow;
        }
    }

    private record Result(int code, String err) {}

    private static Result run(Exception toThrow, String... args) {
        Probe probe = new Probe();
        probe.toThrow = toThrow;
        CommandLine cli = new CommandLine(probe);
        ErrorHandler handler = new ErrorHandler();
        cli.setExecutionExceptionHandler(handler);
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        return new Result(cli.execute(args), err.toString().strip());
    }

    @Test
    void bareIsADirectoryNamesThePathWhatTheFlagWantsAndTheFlag() {
        Result r = run(new FileSystemException(dir.toString(), null, "Is a directory"), "--samples", dir.toString());
        assertEquals(2, r.code());
        assertEquals("ldm4j: " + dir + ": is a directory, expected a .npy file (--samples)", r.err());
    }

    @Test
    void wrappedPermissionErrorIsFoundAndIsBadInput() {
        Path f = dir.resolve("x.npy");
        Result r = run(new UncheckedIOException(new AccessDeniedException(f.toString())), "--samples", f.toString());
        assertEquals(2, r.code());
        assertEquals("ldm4j: " + f + ": permission denied, expected a .npy file (--samples)", r.err());
    }

    @Test
    void failureUnderAFileThatShouldBeADirectoryNamesTheParent() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        Result r = run(new java.nio.file.FileAlreadyExistsException(file.toString()), "--out", file.resolve("run").toString());
        assertEquals("ldm4j: " + file + ": is a file, expected a directory (parent of --out " + file.resolve("run") + ")",
                r.err());
    }

    @Test
    void fileInsideAFlagsFolderAndADataSpecAreNamed() {
        Path inside = dir.resolve("checkpoint.json");
        Result r = run(InputException.inFile(inside, "missing field 'step'"), "--out", dir.toString());
        assertEquals("ldm4j: " + inside + ": missing field 'step' (inside --out " + dir + ")", r.err());
        Path images = dir.resolve("img.idx");
        r = run(InputException.inFile(images, "wrong magic"), "--data", "idx:" + images);
        assertEquals("ldm4j: " + images + ": wrong magic (--data)", r.err());
    }

    @Test
    void twoFlagsNamingTheSamePathAreNotGuessedBetween() {
        Result r = run(InputException.inFile(dir, "bad"), "--out", dir.toString(), "--data", "folder:" + dir);
        assertEquals("ldm4j: " + dir + ": bad", r.err());
    }

    @Test
    void aFailingDiskIsNoInputErrorButStillNamesTheFile() {
        Path f = dir.resolve("x.npy");
        Result r = run(new FileSystemException(f.toString(), null, "Input/output error"), "--samples", f.toString());
        assertEquals(1, r.code());
        assertEquals("ldm4j: error: " + f + ": Input/output error (run with --verbose for details)", r.err());
    }
}
