package ldm4j.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes that never leave a half-written file behind: write to a temporary sibling, then rename.
 *
 * <p>A reader sees either the old content or the new, never a mix. A failed write removes its
 * temporary file and leaves the target untouched.
 */
public final class AtomicFiles {
    /** The names {@link #write} and {@link #writeDirectory} give their temporaries. */
    private static final Pattern TEMPORARY = Pattern.compile("\\.(.+)\\.-?\\d+(\\.tmp)?");

    private AtomicFiles() {}

    /** Something that writes one file or one directory at the given (temporary) path. */
    @FunctionalInterface
    public interface Writer {
        void write(Path tmp) throws IOException;
    }

    /** Something that writes to a stream. */
    @FunctionalInterface
    public interface StreamWriter {
        void write(OutputStream out) throws IOException;
    }

    /** Writes {@code target} through {@code writer} at a temporary sibling, then renames it over. */
    public static void write(Path target, Writer writer) throws IOException {
        Path abs = target.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            // refused before the work, and never replaced: a rename may replace an empty directory
            throw new FileSystemException(abs.toString(), null, "Is a directory");
        }
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        try {
            writer.write(tmp);
            move(tmp, abs);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes {@code target} from a stream, atomically. */
    public static void writeStream(Path target, StreamWriter writer) throws IOException {
        write(target, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writer.write(out);
            }
        });
    }

    /** Writes {@code target} with the given bytes, atomically. */
    public static void writeBytes(Path target, byte[] bytes) throws IOException {
        write(target, tmp -> Files.write(tmp, bytes));
    }

    /** Writes {@code target} with the given UTF-8 text, atomically. */
    public static void writeString(Path target, String text) throws IOException {
        writeBytes(target, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Builds a whole directory in a temporary sibling, then swaps it in for {@code target}.
     *
     * <p>An existing target is first renamed aside and deleted only once the new one is in place,
     * so a crash at any point leaves one complete directory (possibly under the aside name).
     */
    public static void writeDirectory(Path target, Writer writer) throws IOException {
        Path abs = target.toAbsolutePath();
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            // an old directory is swapped out, but a file in its place is the user's, not ours to delete
            throw new FileAlreadyExistsException(abs.toString(), null, "Not a directory");
        }
        Path parent = abs.getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + abs.getFileName() + ".");
        Path aside = null;
        try {
            writer.write(tmp);
            if (Files.exists(abs)) {
                aside = parent.resolve("." + abs.getFileName() + ".old-" + System.nanoTime());
                move(abs, aside);
            }
            move(tmp, abs);
        } catch (IOException | RuntimeException e) {
            if (aside != null && !Files.exists(abs)) {
                move(aside, abs); // put the old directory back
                aside = null;
            }
            throw e;
        } finally {
            deleteRecursively(tmp);
            if (aside != null) {
                deleteRecursively(aside);
            }
        }
    }

    /**
     * The target that {@code path} is the temporary sibling of ({@code .NAME.123.tmp} or
     * {@code .NAME.123} beside NAME), or {@code path} itself: a failed write names the temporary, but
     * the user named the target.
     */
    public static Path targetOf(Path path) {
        Path name = path.getFileName();
        Matcher m = name == null ? null : TEMPORARY.matcher(name.toString());
        return m != null && m.matches() ? path.resolveSibling(m.group(1)) : path;
    }

    /** Deletes a file or a directory tree if it exists. */
    public static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** True if {@code dir} holds any leftover temporary file or directory from an interrupted write. */
    public static boolean hasLeftovers(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, ".*")) {
            return s.iterator().hasNext();
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
