package ldm4j.core.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
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
 * Extracts a package .tgz without letting it write outside the target folder or more than npm said
 * it holds.
 *
 * <p>An entry with an absolute path, a {@code ..} that climbs out, or a link (whose target could
 * point anywhere) is refused before anything of it is written. So is an archive that holds more
 * entries than npm's {@code entryCount}, entries larger in sum than its {@code unpackedSize}, or
 * that expands past those sizes plus room for tar's own headers: a few kilobytes of gzip can
 * expand to gigabytes, and neither the disk nor the memory (tar's PAX headers are read into
 * memory) should pay for that.
 */
public final class SafeTarGz {
    /**
     * Room for tar's own bytes per entry: a 512-byte header, up to 511 bytes of padding, and a PAX or
     * GNU long-name header before it (npm writes one for paths over 100 characters).
     */
    static final long HEADER_ROOM = 4096;
    /** Room for the end-of-archive blocks and the blocking factor's padding. */
    static final long TRAILER_ROOM = 64 << 10;

    private SafeTarGz() {}

    /**
     * Extracts the regular files whose entry names pass {@code include} into {@code dest}.
     *
     * <p>Every entry is checked, included or not: an archive with one bad entry is refused whole.
     *
     * @return the number of files written
     * @throws InputException "ARCHIVE: entry 'NAME' ..." for an entry that escapes, is a link, or
     *     goes past the sizes npm reported, or when the archive is not a readable tar.gz
     */
    public static int extract(PackageArchive archive, Path dest, Predicate<String> include) throws IOException {
        Path tgz = archive.tgz();
        Path root = dest.toAbsolutePath().normalize();
        Files.createDirectories(root);
        long streamLimit = archive.unpackedSize() + HEADER_ROOM * archive.entryCount() + TRAILER_ROOM;
        int written = 0;
        long entries = 0;
        long contentBytes = 0;
        String where = "before the first entry";
        try (InputStream file = Files.newInputStream(tgz);
                Bounded tarBytes = new Bounded(new GZIPInputStream(new BufferedInputStream(file, 1 << 16), 1 << 16),
                        streamLimit);
                TarArchiveInputStream tar = new TarArchiveInputStream(tarBytes)) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                String name = entry.getName();
                if (++entries > archive.entryCount()) {
                    throw InputException.inFile(tgz, "entry '" + name + "' is entry " + entries + ", but npm reported "
                            + archive.entryCount() + " entries; refusing to extract");
                }
                contentBytes += entry.getSize();
                if (contentBytes > archive.unpackedSize()) {
                    throw InputException.inFile(tgz, "entry '" + name + "' (" + entry.getSize() + " bytes) takes the "
                            + "unpacked size to " + contentBytes + " bytes, past the " + archive.unpackedSize()
                            + " bytes npm reported; refusing to extract");
                }
                Path target = checkedTarget(tgz, root, name);
                if (entry.isSymbolicLink() || entry.isLink()) {
                    throw InputException.inFile(tgz, "entry '" + name + "' is a link to '"
                            + entry.getLinkName() + "'; links are not extracted");
                }
                if (!entry.isFile() || !include.test(name)) {
                    where = "after entry '" + name + "'";
                    continue;
                }
                Files.createDirectories(target.getParent());
                where = "in entry '" + name + "'";
                Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                where = "after entry '" + name + "'";
                written++;
            }
        } catch (LimitReached e) {
            throw InputException.inFile(tgz, "expands past " + streamLimit + " bytes, more than the "
                    + archive.unpackedSize() + " bytes in " + archive.entryCount() + " entries npm reported "
                    + "and their tar headers (" + where + "); refusing to extract", e);
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

    /** The expanded stream went past its limit. */
    private static final class LimitReached extends IOException {
        private static final long serialVersionUID = 1L;

        LimitReached(long limit) {
            super("more than " + limit + " bytes");
        }
    }

    /** Passes at most {@code limit} bytes through, then throws {@link LimitReached}. */
    private static final class Bounded extends FilterInputStream {
        private final long limit;
        private long count;

        Bounded(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long k = super.skip(n);
            add(k);
            return k;
        }

        private void add(long n) throws LimitReached {
            count += n;
            if (count > limit) {
                throw new LimitReached(limit);
            }
        }
    }
}
