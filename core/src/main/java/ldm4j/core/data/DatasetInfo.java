package ldm4j.core.data;

import java.nio.file.Path;
import java.util.List;

/**
 * What a prepared dataset holds, for display and for provenance.
 *
 * @param name dataset name or spec
 * @param version package version, or a content hash for user files
 * @param count number of images
 * @param channels C
 * @param height H
 * @param width W
 * @param numClasses number of classes, 0 when unlabelled
 * @param classNames class names in label order, empty when not known
 * @param trainSize images in the training split
 * @param testSize images in the test split
 * @param mean per-channel pixel mean, pixels scaled to [0, 1]
 * @param std per-channel pixel standard deviation, pixels scaled to [0, 1]
 * @param cachePath the cache directory
 * @param cacheHash sha256 of the cached image file, which identifies the data exactly
 */
public record DatasetInfo(String name, String version, int count, int channels, int height, int width,
        int numClasses, List<String> classNames, int trainSize, int testSize, double[] mean, double[] std,
        Path cachePath, String cacheHash) {
    public DatasetInfo {
        classNames = List.copyOf(classNames);
        mean = mean.clone();
        std = std.clone();
    }

    /** {C, H, W}. */
    public int[] shape() {
        return new int[] {channels, height, width};
    }

    /** True when images carry class labels. */
    public boolean labelled() {
        return numClasses > 0;
    }
}
