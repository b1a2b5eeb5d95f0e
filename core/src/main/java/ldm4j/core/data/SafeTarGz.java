package ldm4j.core.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import ldm4j.core.InputException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Extracts a .tgz without letting any entry write outside the target folder.
 *
 * <p>An entry with an absolute path, a {@code ..} that climbs out, or a link (whose target could
 * point anywhere) is refused before anything of it is written.
 */
public final class SafeTarGz {
    private SafeTarGz() {}

    /** Extracts every entry of {@code tgz} into {@code dest}. */
    public static int extract(Path tgz, Path dest) throws IOException {
        return extract(tgz, dest, name -> true);
    }

    /**
     * Extracts the regular files whose entry names pass {@code include} into {@code dest}.
     *
     * <p>Every entry is checked, included or not: an archive with one bad entry is refused whole.
     *
     * @return the number of files written
     * @throws InputException "ARCHIVE: entry 'NAME' ..." for an entry that escapes or is a link, or
     *     when the archive is not a readable tar.gz
     */
    public static int extract(Path tgz, Path dest, Predicate<String> include) throws IOException {
        Path root = dest.toAbsolutePath().normalize();
        Files.createDirectories(root);
        int written = 0;
        try (InputStream file = Files.newInputStream(tgz);
                TarArchiveInputStream tar = new TarArchiveInputStream(
                        new GZIPInputStream(new BufferedInputStream(file, 1 << 16), 1 << 16))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                String name = entry.getName();
                Path target = checkedTarget(tgz, root, name);
                if (entry.isSymbolicLink() || entry.isLink()) {
                    throw InputException.inFile(tgz, "entry '" + name + "' is a link to '"
                            + entry.getLinkName() + "'; links are not extracted");
                }
                if (!entry.isFile() || !include.test(name)) {
                    continue;
                }
                Files.createDirectories(target.getParent());
                Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                written++;
            }
        } catch (EOFException | ZipException e) {
            throw InputException.inFile(tgz, "not a complete tar.gz archive (" + e.getMessage() + ")", e);
        } catch (IllegalArgumentException e) {
            // commons-compress reports malformed headers this way
            throw InputException.inFile(tgz, "malformed tar header (" + e.getMessage() + ")", e);
        }
        return written;
    }

    private static Path checkedTarget(Path tgz, Path root, String name) {
        String n = name.replace('\\', '/');
        if (n.startsWith("/") || (n.length() > 1 && n.charAt(1) == ':')) {
            throw InputException.inFile(tgz, "entry '" + name + "' has an absolute path; refusing to extract");
        }
        Path target = root.resolve(n).normalize();
        if (!target.startsWith(root)) {
            throw InputException.inFile(tgz, "entry '" + name + "' escapes the extraction folder; refusing to extract");
        }
        return target;
    }
}
