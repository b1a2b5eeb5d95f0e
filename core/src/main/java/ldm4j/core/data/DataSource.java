package ldm4j.core.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import ldm4j.core.InputException;

/**
 * Where a dataset comes from: a built-in name or a spec for the user's own files.
 *
 * <p>{@link #parse(String)} is the one place that reads the text form, so every command that takes
 * a dataset accepts the same things:
 * <ul>
 *   <li>{@code fashion-mnist}, {@code mnist}, {@code emoji}: a {@link BuiltinDataset};
 *   <li>{@code idx:IMAGES[,LABELS][?size=S]}: MNIST idx files, raw or gzip; images are zero-padded
 *       to S×S (default: the next multiple of 16, so 28 becomes 32);
 *   <li>{@code cifar10:DIR}: the CIFAR-10 binary batches;
 *   <li>{@code folder:DIR[?size=64&channels=3]}: an image folder, class sub-folders give labels.
 * </ul>
 */
public sealed interface DataSource {

    /** The text form, which {@link #parse(String)} reads back. */
    String spec();

    /** The files and folders the spec names (none for a built-in name). */
    default List<Path> paths() {
        if (this instanceof Idx i) {
            return i.labels() == null ? List.of(i.images()) : List.of(i.images(), i.labels());
        }
        if (this instanceof Cifar10 c) {
            return List.of(c.dir());
        }
        return this instanceof Folder f ? List.of(f.dir()) : List.of();
    }

    /** A dataset ldm4j fetches by name. */
    record Named(BuiltinDataset dataset) implements DataSource {
        @Override
        public String spec() {
            return dataset.id();
        }
    }

    /**
     * MNIST-format idx files.
     *
     * @param images the image file (magic 0x00000803)
     * @param labels the label file (magic 0x00000801), or {@code null}
     * @param size side of the padded square, or 0 for the next multiple of 16
     */
    record Idx(Path images, Path labels, int size) implements DataSource {
        @Override
        public String spec() {
            return "idx:" + images + (labels == null ? "" : "," + labels) + (size == 0 ? "" : "?size=" + size);
        }
    }

    /** A directory with CIFAR-10's data_batch_1..5.bin and test_batch.bin. */
    record Cifar10(Path dir) implements DataSource {
        @Override
        public String spec() {
            return "cifar10:" + dir;
        }
    }

    /**
     * A folder of PNG, JPEG, BMP or GIF images, resized and centre-cropped to size×size.
     *
     * @param dir the folder; if it has sub-folders, each one is a class (alphabetical order)
     * @param size side of the square output images
     * @param channels 1 (grey) or 3 (RGB); transparency is composited on white
     */
    record Folder(Path dir, int size, int channels) implements DataSource {
        /** Default side for folder images. */
        public static final int DEFAULT_SIZE = 64;

        public Folder {
            if (size <= 0) {
                throw new InputException("folder:" + dir + ": size must be > 0, got " + size);
            }
            if (channels != 1 && channels != 3) {
                throw new InputException("folder:" + dir + ": channels must be 1 or 3, got " + channels);
            }
        }

        @Override
        public String spec() {
            return "folder:" + dir + "?size=" + size + "&channels=" + channels;
        }
    }

    /**
     * Reads a dataset name or spec.
     *
     * @throws InputException naming the text when it is neither a known name nor a valid spec
     */
    static DataSource parse(String text) {
        String s = text.strip();
        int colon = s.indexOf(':');
        if (colon < 0) {
            return BuiltinDataset.byId(s).<DataSource>map(Named::new).orElseThrow(() -> new InputException(
                    "unknown dataset '" + s + "'; known: " + Arrays.stream(BuiltinDataset.values())
                            .map(BuiltinDataset::id).collect(Collectors.joining(", "))
                            + ", or a spec idx:IMAGES[,LABELS], cifar10:DIR, folder:DIR[?size=64&channels=3]"));
        }
        String kind = s.substring(0, colon);
        String rest = s.substring(colon + 1);
        int q = rest.lastIndexOf('?');
        Map<String, String> options = q < 0 ? Map.of() : options(s, rest.substring(q + 1));
        String body = q < 0 ? rest : rest.substring(0, q);
        if (body.isEmpty()) {
            throw new InputException("data spec '" + s + "' names no file or folder");
        }
        return switch (kind) {
            case "idx" -> {
                allowOnly(s, options, "size");
                String[] parts = body.split(",", -1);
                if (parts.length > 2 || parts[0].isEmpty() || (parts.length == 2 && parts[1].isEmpty())) {
                    throw new InputException("data spec '" + s + "': expected idx:IMAGES[,LABELS]");
                }
                yield new Idx(Path.of(parts[0]), parts.length == 2 ? Path.of(parts[1]) : null,
                        intOption(s, options, "size", 0));
            }
            case "cifar10" -> {
                allowOnly(s, options);
                yield new Cifar10(Path.of(body));
            }
            case "folder" -> {
                allowOnly(s, options, "size", "channels");
                yield new Folder(Path.of(body), intOption(s, options, "size", Folder.DEFAULT_SIZE),
                        intOption(s, options, "channels", 3));
            }
            default -> throw new InputException("data spec '" + s + "': unknown kind '" + kind
                    + "'; expected idx:, cifar10: or folder:");
        };
    }

    private static Map<String, String> options(String spec, String query) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new InputException("data spec '" + spec + "': option '" + pair + "' is not key=value");
            }
            out.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return out;
    }

    private static void allowOnly(String spec, Map<String, String> options, String... allowed) {
        for (String key : options.keySet()) {
            if (!Arrays.asList(allowed).contains(key)) {
                throw new InputException("data spec '" + spec + "': unknown option '" + key + "'"
                        + (allowed.length == 0 ? "" : "; allowed: " + String.join(", ", allowed)));
            }
        }
    }

    private static int intOption(String spec, Map<String, String> options, String key, int fallback) {
        String v = options.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new InputException("data spec '" + spec + "': " + key + " must be a positive integer, got '" + v + "'");
        }
    }
}
