package ldm4j.core.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import ldm4j.core.InputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts emoji-datasource-google: every {@code img/google/64/*.png}, in file-name order,
 * composited on white to a 64×64 RGB image. Emoji have no classes.
 */
public final class EmojiConverter implements PackageConverter {
    private static final Logger LOG = LoggerFactory.getLogger(EmojiConverter.class);
    /** Side of the output images. */
    public static final int SIZE = 64;

    private final BuiltinDataset dataset;
    private final int maxImages;

    /** A converter for {@code dataset}, whose PNGs live under its archive prefix. */
    public EmojiConverter(BuiltinDataset dataset) {
        this(dataset, (int) (UInt8Images.MAX_BYTES / (3 * SIZE * SIZE)));
    }

    /** A converter that refuses a package of more than {@code maxImages} images (tests use a few). */
    EmojiConverter(BuiltinDataset dataset, int maxImages) {
        this.dataset = dataset;
        this.maxImages = maxImages;
    }

    @Override
    public PreparedData convert(Path root, ProgressListener progress) throws IOException {
        Path dir = root.resolve(dataset.archivePrefix());
        if (!Files.isDirectory(dir)) {
            throw InputException.inFile(dir, "missing from the " + dataset.npmSpec() + " package");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".png")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw InputException.inFile(dir, "holds no .png files");
        }
        if (files.size() > maxImages) {
            throw InputException.inFile(dir, "holds " + files.size() + " .png files, more than the " + maxImages
                    + " one cache file can hold");
        }
        int n = files.size();
        int imageBytes = 3 * SIZE * SIZE;
        byte[] pixels = new byte[n * imageBytes];
        for (int i = 0; i < n; i++) {
            BufferedImage rgb = ImageOps.onWhite(FolderReader.decode(files.get(i)));
            if (rgb.getWidth() != SIZE || rgb.getHeight() != SIZE) {
                rgb = ImageOps.resizeCentreCrop(rgb, SIZE);
            }
            ImageOps.writeChw(rgb, 3, pixels, i * imageBytes);
            if ((i + 1) % 256 == 0 || i + 1 == n) {
                progress.progress("convert " + dataset.id(), i + 1, n);
            }
        }
        LOG.info("converted {}: {} images", dataset.npmSpec(), n);
        return new PreparedData(new UInt8Images(n, 3, SIZE, SIZE, pixels, null), List.of(), dataset.version(), null);
    }
}
