package ldm4j.core.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The versions ldm4j was built with, read from a file Maven filters at build time. {@code flavor} is
 * {@code cpu} (bundled CPU libtorch) or {@code cuda} (built with {@code -Dcuda}).
 */
public record Versions(String ldm4j, String djl, String pytorch, String flavor) {
    private static final Versions CURRENT = load();

    /** The versions of this build. */
    public static Versions current() {
        return CURRENT;
    }

    private static Versions load() {
        Properties p = new Properties();
        try (InputStream in = Versions.class.getResourceAsStream("/ldm4j/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Versions(
                p.getProperty("version", "unknown"),
                p.getProperty("djl", "unknown"),
                p.getProperty("pytorch", "unknown"),
                p.getProperty("flavor", "cpu"));
    }
}
