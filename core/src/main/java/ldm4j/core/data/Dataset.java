package ldm4j.core.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A prepared dataset, loaded from its cache: uint8 N×C×H×W images, optional labels and a fixed
 * train/test split.
 *
 * <p>Open one with {@link #open(String)} (a name such as "fashion-mnist" or a spec such as
 * "folder:photos?size=64"), which fetches and prepares it on first use. Then take a {@link DataView}
 * of a split for batches, iteration and raw access.
 */
public final class Dataset {
    private final Path dir;
    private final CacheHeader header;
    private final UInt8Images images;
    private final byte[] split;

    Dataset(Path dir, CacheHeader header, UInt8Images images, byte[] split) {
        this.dir = dir;
        this.header = header;
        this.images = images;
        this.split = split;
    }

    /**
     * Opens a dataset by name or spec from the default cache ({@code LDM4J_CACHE} or
     * {@code ~/.cache/ldm4j}), fetching or preparing it if needed.
     *
     * @throws ldm4j.core.InputException for an unknown name, a bad spec, bad input files or a corrupt cache
     */
    public static Dataset open(String nameOrSpec) throws IOException {
        return DatasetStore.atDefaultLocation().open(DataSource.parse(nameOrSpec));
    }

    /** Shape, classes, split sizes, mean/std and cache path of the dataset called {@code nameOrSpec}. */
    public static DatasetInfo info(String nameOrSpec) throws IOException {
        return open(nameOrSpec).info();
    }

    /** Shape, classes, split sizes, mean/std and cache path. */
    public DatasetInfo info() {
        CacheHeader h = header;
        return new DatasetInfo(h.name(), h.version(), h.count(), h.channels(), h.height(), h.width(),
                h.numClasses(), h.classNames(), h.trainSize(), h.testSize(), h.mean(), h.std(), dir,
                h.files().get(DatasetCache.IMAGES).sha256());
    }

    /** The cache header as stored. */
    public CacheHeader header() {
        return header;
    }

    /** The cache directory. */
    public Path cachePath() {
        return dir;
    }

    /** Number of images. */
    public int count() {
        return images.count();
    }

    /** Every image and label, raw. The arrays are shared: do not modify them. */
    public UInt8Images images() {
        return images;
    }

    /** True when image {@code i} belongs to the test split. */
    public boolean isTest(int i) {
        return split[i] != 0;
    }

    /** The first {@code n} images of the dataset (fewer if it is smaller), uint8 N×C×H×W, for a preview. */
    public UInt8Images preview(int n) {
        return view(Split.ALL).first(n);
    }

    /** {@code n} distinct images drawn with {@code seed}, uint8 N×C×H×W, for a preview. */
    public UInt8Images preview(int n, long seed) {
        return view(Split.ALL).sample(n, seed);
    }

    /** The training images. */
    public DataView train() {
        return view(Split.TRAIN);
    }

    /** The test images. */
    public DataView test() {
        return view(Split.TEST);
    }

    /** The images of {@code which} split, in dataset order. */
    public DataView view(Split which) {
        int n = switch (which) {
            case TRAIN -> header.trainSize();
            case TEST -> header.testSize();
            case ALL -> images.count();
        };
        int[] indices = new int[n];
        int k = 0;
        for (int i = 0; i < images.count(); i++) {
            boolean test = split[i] != 0;
            if (which == Split.ALL || test == (which == Split.TEST)) {
                indices[k++] = i;
            }
        }
        if (k != n) {
            throw new IllegalStateException(dir + ": split file holds " + k + " " + which + " images, header says " + n);
        }
        return new DataView(this, which, indices);
    }
}
