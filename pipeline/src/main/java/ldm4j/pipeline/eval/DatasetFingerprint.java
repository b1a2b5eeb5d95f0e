package ldm4j.pipeline.eval;

import java.util.List;
import ldm4j.core.data.DatasetInfo;

/**
 * Which data a feature network was trained on, stored in its checkpoint so evaluation can refuse
 * images of another shape and tell when the dataset changed under a cached network.
 *
 * @param name dataset name or spec
 * @param version package version, or a content key for user files
 * @param cacheHash sha256 of the cached image file ({@link DatasetInfo#cacheHash()})
 * @param channels C
 * @param height H
 * @param width W
 * @param numClasses number of classes
 * @param classNames class names in label order, possibly empty
 */
public record DatasetFingerprint(String name, String version, String cacheHash, int channels, int height, int width,
        int numClasses, List<String> classNames) {
    public DatasetFingerprint {
        classNames = classNames == null ? List.of() : List.copyOf(classNames);
    }

    /** The fingerprint of a prepared dataset. */
    public static DatasetFingerprint of(DatasetInfo info) {
        return new DatasetFingerprint(info.name(), info.version(), info.cacheHash(), info.channels(), info.height(),
                info.width(), info.numClasses(), info.classNames());
    }

    /** True when {@code info} holds exactly the images this fingerprint was taken of. */
    public boolean sameData(DatasetInfo info) {
        return cacheHash.equals(info.cacheHash());
    }

    /** True when images of shape C×H×W fit. */
    public boolean fits(int c, int h, int w) {
        return c == channels && h == height && w == width;
    }

    /** "C×H×W". */
    public String shapeText() {
        return channels + "×" + height + "×" + width;
    }
}
