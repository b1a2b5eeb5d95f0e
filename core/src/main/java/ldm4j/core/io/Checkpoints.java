package ldm4j.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import ldm4j.core.InputException;

/**
 * Saves and loads checkpoints: a directory holding {@code model.safetensors}, optionally other
 * tensor files ({@code optimizer.safetensors}, {@code ema.safetensors}, ...), and the JSON sidecar
 * {@code checkpoint.json} ({@link Checkpoint}).
 *
 * <pre>
 * ckpt/
 *   checkpoint.json        kind, config, step, metrics, scaleFactor, state, provenance
 *   model.safetensors      parameters by stable name (see {@link BlockParameters})
 *   ema.safetensors        optional, same names
 *   optimizer.safetensors  optional, the optimiser's own names
 * </pre>
 *
 * <p>The whole directory is written at once ({@link AtomicFiles#writeDirectory}): a crash leaves
 * the previous checkpoint, never a model from one step beside a sidecar from another. What a
 * trainer's files hold (model, EMA, optimizer state, further parts) is fixed in one place for every
 * trainer, {@link ldm4j.core.train.TrainCheckpoint}.
 */
public final class Checkpoints {
    private Checkpoints() {}

    /** Name of the JSON sidecar. */
    public static final String SIDECAR = "checkpoint.json";
    /** Name (without extension) of the tensor file every checkpoint has. */
    public static final String MODEL = "model";
    /** Conventional name of the EMA weights' tensor file. */
    public static final String EMA = "ema";
    /** Conventional name of the optimiser state's tensor file. */
    public static final String OPTIMIZER = "optimizer";

    private static final String CHECKPOINT_DIR = "a checkpoint directory (" + SIDECAR + " and .safetensors files)";
    private static final List<String> REQUIRED = List.of("kind", "config", "step", "provenance");

    /** The path of tensor file {@code name} inside checkpoint {@code dir}. */
    public static Path tensorFile(Path dir, String name) {
        return dir.resolve(name + ".safetensors");
    }

    /** Saves a checkpoint whose only tensors are the block's parameters. */
    public static void save(Path dir, Checkpoint info, Block block) throws IOException {
        save(dir, info, Map.of(MODEL, BlockParameters.collect(block)));
    }

    /**
     * Saves {@code info} and each tensor map of {@code files} as {@code <name>.safetensors}, replacing
     * any checkpoint at {@code dir} atomically.
     *
     * @param files tensor maps by file name; must include {@link #MODEL}
     */
    public static void save(Path dir, Checkpoint info, Map<String, Map<String, NDArray>> files) throws IOException {
        if (!files.containsKey(MODEL)) {
            throw new IllegalArgumentException("a checkpoint needs a '" + MODEL + "' tensor file, got " + files.keySet());
        }
        for (String name : files.keySet()) {
            if (!name.matches("[A-Za-z0-9_.-]+") || name.startsWith(".")) {
                throw new IllegalArgumentException("tensor file name '" + name + "' must be a plain file name");
            }
        }
        // Python tools see the kind and step without reading the sidecar.
        Map<String, String> meta = Map.of("format", "pt", "kind", info.kind(), "step", Long.toString(info.step()));
        AtomicFiles.writeDirectory(dir, tmp -> {
            for (Map.Entry<String, Map<String, NDArray>> f : files.entrySet()) {
                Safetensors.write(tensorFile(tmp, f.getKey()), f.getValue(), meta);
            }
            Json.write(tmp.resolve(SIDECAR), info);
        });
    }

    /** Reads and validates the sidecar of checkpoint {@code dir}. */
    public static Checkpoint readInfo(Path dir) {
        requireDirectory(dir);
        Path file = dir.resolve(SIDECAR);
        if (!Files.exists(file)) {
            throw InputFiles.fault(dir, "has no " + SIDECAR, CHECKPOINT_DIR);
        }
        JsonNode tree = Json.readTree(file);
        if (!tree.isObject()) {
            throw InputException.inFile(file, "not a JSON object");
        }
        for (String field : REQUIRED) {
            if (!tree.hasNonNull(field)) {
                throw InputException.inFile(file, "missing field '" + field + "'");
            }
        }
        return Json.convert(tree, Checkpoint.class, file);
    }

    /** Reads the sidecar and checks its kind, e.g. that an "autoencoder" is not loaded as a "unet". */
    public static Checkpoint readInfo(Path dir, String expectedKind) {
        Checkpoint info = readInfo(dir);
        if (!info.kind().equals(expectedKind)) {
            throw InputException.inFile(dir.resolve(SIDECAR), "checkpoint kind is '" + info.kind()
                    + "', expected '" + expectedKind + "'");
        }
        return info;
    }

    /**
     * Checks that checkpoint {@code dir} reads back whole, before anything is built from it or
     * compared with it: the sidecar parses and is of {@code kind}, and every tensor file in it (the
     * {@code required} ones must be there) has a sound header whose tensors fill the file exactly, so
     * a truncated or mis-cut file fails here, naming itself.
     *
     * @return the sidecar
     * @throws InputException naming the file and what is wrong with it
     */
    public static Checkpoint requireIntact(Path dir, String kind, String... required) {
        Checkpoint info = readInfo(dir, kind);
        Set<Path> files = new TreeSet<>();
        for (String name : required) {
            files.add(tensorFile(dir, name));
        }
        try (Stream<Path> list = Files.list(dir)) {
            list.filter(p -> p.getFileName().toString().endsWith(".safetensors")).forEach(files::add);
        } catch (IOException e) {
            throw InputException.inFile(dir, "cannot list the checkpoint: " + e.getMessage(), e);
        }
        files.forEach(Safetensors::readHeader);
        return info;
    }

    /** True if the checkpoint has tensor file {@code name} (e.g. {@link #EMA}). */
    public static boolean hasTensors(Path dir, String name) {
        return Files.isRegularFile(tensorFile(dir, name));
    }

    /** Reads tensor file {@code name} of checkpoint {@code dir} onto {@code manager}. */
    public static Map<String, NDArray> readTensors(Path dir, String name, NDManager manager) {
        requireDirectory(dir);
        return Safetensors.read(tensorFile(dir, name), manager);
    }

    /**
     * Loads tensor file {@code name} (usually {@link #MODEL} or {@link #EMA}) into the block's
     * parameters, checking every name and shape first (see {@link BlockParameters#load}).
     * Temporaries are freed before returning.
     */
    public static void loadInto(Path dir, String name, Block block) {
        Map<String, NDArray> params = BlockParameters.collect(block);
        if (params.isEmpty()) {
            throw new IllegalArgumentException("block has no parameters to load");
        }
        NDManager owner = params.values().iterator().next().getManager();
        try (NDManager tmp = owner.newSubManager()) {
            Path file = tensorFile(dir, name);
            requireDirectory(dir);
            BlockParameters.load(block, new LinkedHashMap<>(Safetensors.read(file, tmp)), file);
        }
    }

    private static void requireDirectory(Path dir) {
        InputFiles.requireDirectory(dir, CHECKPOINT_DIR);
    }
}
