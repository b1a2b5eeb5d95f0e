package ldm4j.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import ldm4j.core.InputException;

/**
 * Opens the files and folders a user names, and says in one line what is wrong with one that cannot
 * be used: "PATH: is a directory, expected an idx images file".
 *
 * <p>The JDK reports such faults as a {@link FileSystemException} whose message is the OS's bare
 * reason ("Is a directory"), which names neither the path nor what the path was for. Here each
 * reader says what it expected, and {@link #fault} describes what is really at the path.
 */
public final class InputFiles {
    private InputFiles() {}

    /** OS reasons that what stands at the path explains better: "Is a directory" names no path. */
    private static final Set<String> STATE_REASONS = Set.of("is a directory", "not a directory",
            "no such file or directory", "no such device or address");

    /** OS reasons that mean "this path is not what was asked for", as opposed to a failing disk. */
    private static final Set<String> PATH_REASONS = Set.of("is a directory", "not a directory",
            "no such file or directory", "no such device or address", "permission denied",
            "operation not permitted", "read-only file system", "too many levels of symbolic links",
            "file name too long");

    /**
     * Checks that {@code file} is a regular file this process may read.
     *
     * @param expected what the file should be, e.g. "an idx images file"
     * @throws InputException "FILE: is a directory, expected ..." and the like
     */
    public static void requireFile(Path file, String expected) {
        if (Files.isRegularFile(file)) {
            if (!Files.isReadable(file)) {
                throw fault(file, "cannot be read (permission denied)", expected);
            }
            return;
        }
        throw fault(file, state(file), expected);
    }

    /**
     * Checks that {@code dir} is a directory this process may list.
     *
     * @param expected what the directory should be, e.g. "a checkpoint directory"
     */
    public static void requireDirectory(Path dir, String expected) {
        if (Files.isDirectory(dir)) {
            if (!Files.isReadable(dir) || !Files.isExecutable(dir)) {
                throw fault(dir, "cannot be read (permission denied)", expected);
            }
            return;
        }
        throw fault(dir, state(dir), expected);
    }

    /** Opens {@code file} for reading after {@link #requireFile}; a failure to open names the file too. */
    public static InputStream open(Path file, String expected) {
        requireFile(file, expected);
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw fault(file, e, expected);
        }
    }

    /** "PATH: REASON, expected EXPECTED", the line every fault here takes. */
    public static InputException fault(Path path, String reason, String expected) {
        return InputException.inFile(path, reason + (expected == null ? "" : ", expected " + expected));
    }

    /** The fault for an {@link IOException} met while reading {@code path}. */
    public static InputException fault(Path path, IOException e, String expected) {
        return InputException.inFile(path, reason(path, e) + (expected == null ? "" : ", expected " + expected), e);
    }

    /**
     * Why {@code path} gave {@code e}, in words: what stands at the path when that explains it (it is
     * a directory, it does not exist), else the exception's own reason.
     */
    public static String reason(Path path, IOException e) {
        String r = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
        if (e instanceof NoSuchFileException || e instanceof NotDirectoryException
                || e instanceof FileAlreadyExistsException || e instanceof DirectoryNotEmptyException
                || (r != null && STATE_REASONS.contains(r.strip().toLowerCase(Locale.ROOT)))) {
            return state(path);
        }
        return osReason(e);
    }

    /** The OS's own reason, in lower case: "permission denied", "read-only file system", ... */
    public static String osReason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied"; // the JDK leaves the reason out of this one
        }
        String r = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
        return r == null || r.isBlank() ? e.getClass().getSimpleName() : lower(r.strip());
    }

    /**
     * True when {@code e} says something about a path the user named (it is missing, a directory,
     * not readable), not about the machine (a full disk, an I/O error): the first is bad input.
     */
    public static boolean isPathFault(IOException e) {
        if (e instanceof NoSuchFileException || e instanceof AccessDeniedException || e instanceof NotDirectoryException
                || e instanceof FileAlreadyExistsException || e instanceof DirectoryNotEmptyException) {
            return true;
        }
        return e instanceof FileSystemException f && f.getReason() != null
                && PATH_REASONS.contains(f.getReason().strip().toLowerCase(Locale.ROOT));
    }

    /**
     * What stands at {@code path}: "does not exist" (naming the ancestor that is a file, when that
     * is why), "is a directory", "is a file", or "is not a regular file (a socket, pipe or device)".
     */
    public static String state(Path path) {
        if (Files.isDirectory(path)) {
            return "is a directory";
        }
        if (Files.isRegularFile(path)) {
            return "is a file";
        }
        if (Files.exists(path)) {
            return "is not a regular file (a socket, pipe or device)";
        }
        for (Path p = path.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                return Files.isDirectory(p) ? "does not exist" : "does not exist (" + p + " is a file, not a directory)";
            }
        }
        return "does not exist";
    }

    private static String lower(String reason) {
        return reason.isEmpty() ? reason : Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
    }
}
