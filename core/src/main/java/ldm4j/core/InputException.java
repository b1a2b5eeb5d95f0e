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

    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }

    /** "FILE: fault", the form every file error takes. */
    public static InputException inFile(Path file, String fault) {
        return new InputException(file + ": " + fault);
    }

    public static InputException inFile(Path file, String fault, Throwable cause) {
        return new InputException(file + ": " + fault, cause);
    }
}
