package ldm4j.core;

import java.nio.file.Path;

/**
 * Something a user handed in (a file, a config, a flag, a checkpoint) is wrong.
 *
 * <p>The message is one line that says what is wrong and where; the CLI prints it without a stack
 * trace and exits with {@link #EXIT_CODE}.
 */
public class InputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Exit code for bad user input, as distinct from an internal failure (1). */
    public static final int EXIT_CODE = 2;

    /** The file the message is about, so the CLI can tell which flag named it; not serialised. */
    private final transient Path file;

    public InputException(String message) {
        this(message, null, null);
    }

    public InputException(String message, Throwable cause) {
        this(message, null, cause);
    }

    /** A message about {@code file} (which the message names itself). */
    public InputException(String message, Path file, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    /** "FILE: fault", the form every file error takes. */
    public static InputException inFile(Path file, String fault) {
        return new InputException(file + ": " + fault, file, null);
    }

    public static InputException inFile(Path file, String fault, Throwable cause) {
        return new InputException(file + ": " + fault, file, cause);
    }

    /** The file this is about, or null when it is about no one file (a flag, a value). */
    public Path file() {
        return file;
    }
}
