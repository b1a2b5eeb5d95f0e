package ldm4j.core.data;

import java.io.IOException;
import java.nio.file.Path;

/** Turns an extracted npm package into images and labels. */
@FunctionalInterface
public interface PackageConverter {
    /**
     * Converts the package extracted under {@code root} (which holds the {@code package/} folder).
     *
     * @throws ldm4j.core.InputException naming the file when the package content is malformed
     */
    PreparedData convert(Path root, ProgressListener progress) throws IOException;

    /** The converter for a built-in dataset. */
    static PackageConverter of(BuiltinDataset dataset) {
        return switch (dataset) {
            case FASHION_MNIST -> new JsonDigitsConverter(dataset, JsonDigitsConverter.Layout.ROWS_OF_BYTES);
            case MNIST -> new JsonDigitsConverter(dataset, JsonDigitsConverter.Layout.FLAT_FRACTIONS);
            case EMOJI -> new EmojiConverter(dataset);
        };
    }
}
