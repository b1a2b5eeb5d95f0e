package ldm4j.cli.options;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * {@code --verbose}: stack traces on error and debug logging (DJL's own log lines included).
 * Mixed into every command so it can stand anywhere on the command line.
 */
public final class Verbosity {
    private static volatile boolean verbose;

    @Option(names = "--verbose", defaultValue = "false",
            description = "Show stack traces and debug logging (default: ${DEFAULT-VALUE}).")
    void setVerbose(boolean on) {
        // Every command's mixin gets the default (false) as picocli reaches it, so only a "true" may
        // change the flag: `ldm4j --verbose data info x` must stay verbose inside `data info`.
        if (on) {
            verbose = true;
            level("ldm4j", Level.DEBUG);
            level("ai.djl", Level.INFO);
        }
    }

    /** Back to quiet, for a fresh command line (the flag is process-wide). */
    public static void reset() {
        verbose = false;
    }

    /** True once any command saw {@code --verbose}. */
    public static boolean isVerbose() {
        return verbose;
    }

    private static void level(String name, Level level) {
        if (LoggerFactory.getLogger(name) instanceof Logger logger) {
            logger.setLevel(level);
        }
    }
}
