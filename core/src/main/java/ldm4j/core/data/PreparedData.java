package ldm4j.core.data;

import java.util.List;

/**
 * What a reader or converter produces before it goes into the cache.
 *
 * @param images the images and labels
 * @param classNames class names in label order; empty when unknown or unlabelled
 * @param version the package version, or "" for user files (the store fills in the cache key)
 * @param presetSplit one byte per image, 1 = test, when the source defines its own test set
 *     (CIFAR-10's test batch); {@code null} to have ldm4j draw a stratified split
 */
public record PreparedData(UInt8Images images, List<String> classNames, String version, byte[] presetSplit) {
    public PreparedData {
        classNames = List.copyOf(classNames);
        if (presetSplit != null && presetSplit.length != images.count()) {
            throw new IllegalArgumentException(presetSplit.length + " split marks for " + images.count() + " images");
        }
    }
}
