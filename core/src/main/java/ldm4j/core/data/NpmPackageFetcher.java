package ldm4j.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches packages with the npm client: {@code npm pack --json NAME@VERSION} in a work folder.
 *
 * <p>npm resolves the registry (and any mirror or proxy the user configured), so ldm4j holds no
 * URL. {@code --ignore-scripts} keeps a package from running code on this machine. {@code --json}
 * makes npm print the tarball's file name, integrity and shasum, which {@link PackageIntegrity} then
 * checks against the bytes, and its unpacked size and entry count, which bound {@link SafeTarGz}.
 */
public final class NpmPackageFetcher implements PackageFetcher {
    private static final Logger LOG = LoggerFactory.getLogger(NpmPackageFetcher.class);

    private final String npmCommand;

    /** Uses {@code npm} from the PATH. */
    public NpmPackageFetcher() {
        this("npm");
    }

    /** Uses the given npm executable. */
    public NpmPackageFetcher(String npmCommand) {
        this.npmCommand = npmCommand;
    }

    @Override
    public PackageArchive fetch(String name, String version, Path workDir) throws IOException {
        String spec = name + "@" + version;
        Files.createDirectories(workDir);
        Path stdout = workDir.resolve(".npm-pack.out");
        Path stderr = workDir.resolve(".npm-pack.err");
        List<String> command = List.of(npmCommand, "pack", "--json", "--ignore-scripts", "--pack-destination", workDir.toString(), spec);
        LOG.info("fetching {} with npm pack", spec);
        Process process;
        try {
            process = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        } catch (IOException e) {
            throw new IOException("cannot run '" + npmCommand + "' to fetch " + spec
                    + ": is Node.js/npm installed and on the PATH? (" + e.getMessage() + ")", e);
        }
        int code;
        try {
            code = process.waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + spec, e);
        }
        if (code != 0) {
            throw new IOException("npm pack " + spec + " failed with exit code " + code + ": "
                    + lastLine(Files.readString(stderr, StandardCharsets.UTF_8)));
        }
        JsonNode report = new ObjectMapper().readTree(stdout.toFile());
        JsonNode entry = report.isArray() && report.size() > 0 ? report.get(0) : report;
        String filename = entry.path("filename").asText(null);
        if (filename == null) {
            throw new IOException("npm pack " + spec + " printed no file name in its --json report");
        }
        Path tgz = workDir.resolve(filename);
        if (!Files.isRegularFile(tgz)) {
            throw new IOException("npm pack " + spec + " reported " + filename + " but wrote no such file in " + workDir);
        }
        JsonNode unpacked = entry.path("unpackedSize");
        JsonNode entries = entry.path("entryCount");
        if (!unpacked.canConvertToLong() || unpacked.asLong() < 0 || !entries.canConvertToLong() || entries.asLong() < 0) {
            throw new IOException("npm pack " + spec + " reported no unpackedSize and entryCount in its --json report "
                    + "(got " + unpacked + " and " + entries + "); they bound the extraction");
        }
        return new PackageArchive(tgz, entry.path("integrity").asText(null), entry.path("shasum").asText(null),
                unpacked.asLong(), entries.asLong());
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\\R");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (!lines[i].isBlank()) {
                return lines[i].strip();
            }
        }
        return "(no message)";
    }
}
