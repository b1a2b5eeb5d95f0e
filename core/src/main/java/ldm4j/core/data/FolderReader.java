package ldm4j.core.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import ldm4j.core.InputException;
import ldm4j.core.io.ImageIo;
import ldm4j.core.io.InputFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a folder of images (anything javax.imageio decodes: PNG, JPEG, BMP, GIF).
 *
 * <p>When the folder has sub-folders, each sub-folder is a class, numbered in alphabetical order,
 * and files directly in the folder are refused (they would have no class). Without sub-folders the
 * images are unlabelled. Hidden files (".DS_Store") are skipped; any other file must decode as an
 * image. Each image is composited on white, scaled so its shorter side fits, and centre-cropped.
 */
public final class FolderReader {
    private static final Logger LOG = LoggerFactory.getLogger(FolderReader.class);

    /** What a folder: spec names. */
    static final String FOLDER = "a folder of images (PNG, JPEG, BMP or GIF), sub-folders for classes";

    private FolderReader() {}

    /** One image file and its class (-1 when the folder has no class sub-folders). */
    record Entry(Path file, int label) {}

    /** The folder's class names (sorted sub-folder names), empty when unlabelled. */
    static List<String> classNames(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).filter(p -> !hidden(p))
                    .map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Every image file with its label, in a fixed order: class, then path. */
    static List<Entry> entries(Path dir) throws IOException {
        InputFiles.requireDirectory(dir, FOLDER);
        List<String> classes = classNames(dir);
        List<Entry> out = new ArrayList<>();
        if (classes.isEmpty()) {
            files(dir).forEach(f -> out.add(new Entry(f, -1)));
        } else {
            try (Stream<Path> s = Files.list(dir)) {
                Path stray = s.filter(Files::isRegularFile).filter(p -> !hidden(p)).sorted().findFirst().orElse(null);
                if (stray != null) {
                    throw InputException.inFile(stray, "file outside the class sub-folders of " + dir
                            + "; move it into a class folder");
                }
            }
            for (int c = 0; c < classes.size(); c++) {
                int label = c;
                files(dir.resolve(classes.get(c))).forEach(f -> out.add(new Entry(f, label)));
            }
        }
        if (out.isEmpty()) {
            throw InputFiles.fault(dir, "holds no image files", FOLDER);
        }
        return out;
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> noHiddenPart(dir, p))
                    .sorted(Comparator.comparing(Path::toString)).toList();
        }
    }

    private static boolean noHiddenPart(Path dir, Path p) {
        for (Path part : dir.relativize(p)) {
            if (part.toString().startsWith(".")) {
                return false;
            }
        }
        return true;
    }

    private static boolean hidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }

    /** Decodes, resizes and crops every image of {@code source.dir()}. */
    public static PreparedData read(DataSource.Folder source, ProgressListener progress) throws IOException {
        List<Entry> entries = entries(source.dir());
        List<String> classes = classNames(source.dir());
        int n = entries.size();
        int size = source.size();
        int imageBytes = source.channels() * size * size;
        if ((long) n * imageBytes > UInt8Images.MAX_BYTES) {
            throw InputException.inFile(source.dir(), n + " images of " + source.channels() + "×" + size + "×" + size
                    + " are more than one cache file can hold; use a smaller size");
        }
        byte[] pixels = new byte[n * imageBytes];
        int[] labels = classes.isEmpty() ? null : new int[n];
        for (int i = 0; i < n; i++) {
            Entry e = entries.get(i);
            BufferedImage rgb = ImageOps.resizeCentreCrop(ImageOps.onWhite(decode(e.file())), size);
            ImageOps.writeChw(rgb, source.channels(), pixels, i * imageBytes);
            if (labels != null) {
                labels[i] = e.label();
            }
            if ((i + 1) % 256 == 0 || i + 1 == n) {
                progress.progress("decode " + source.dir().getFileName(), i + 1, n);
            }
        }
        LOG.info("read {} images from {} ({} classes)", n, source.dir(), classes.size());
        return new PreparedData(new UInt8Images(n, source.channels(), size, size, pixels, labels), classes, "", null);
    }

    /** Decodes one image file, refusing one whose header declares too many pixels ({@link ImageIo#read}). */
    static BufferedImage decode(Path file) {
        return ImageIo.read(file);
    }
}
