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

    @Option(names = "--verbose", description = "Show stack traces and debug logging (default: ${DEFAULT-VALUE}).")
    void setVerbose(boolean on) {
        verbose = on;
        if (on) {
            level("ldm4j", Level.DEBUG);
            level("ai.djl", Level.INFO);
        }
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
