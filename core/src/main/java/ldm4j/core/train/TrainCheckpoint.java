package ldm4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import ldm4j.core.InputException;
import ldm4j.core.io.BlockParameters;
import ldm4j.core.io.Checkpoint;
import ldm4j.core.io.Checkpoints;

/**
 * The one checkpoint layout of every ldm4j trainer: a model, the {@link TrainStep} that trains it
 * (AdamW, EMA), and optional further parts each with its own step (a discriminator), saved and
 * restored exactly, so a resumed run continues bit for bit.
 *
 * <pre>
 * ckpt/
 *   checkpoint.json        the sidecar ({@link Checkpoint}): kind, config, step, metrics, state, ...
 *   model.safetensors      the model's weights by parameter name
 *   ema.safetensors        the EMA of those weights under the same names (only with an EMA): it loads
 *                          into a model like model.safetensors, and is what inference uses
 *   optimizer.safetensors  the rest of the training state: adamw.step, adamw.m.*, adamw.v.*,
 *                          ema.updates; each trained parameter outside the model (e.g. loss.logvar)
 *                          under its name, with its EMA shadow as ema.&lt;name&gt;; each part's
 *                          optimizer state under the part's prefix (e.g. disc.adamw.*)
 *   &lt;part&gt;.safetensors     each part's weights by parameter name (e.g. discriminator.safetensors)
 * </pre>
 *
 * <p>Every tensor is stored once: the EMA shadows of the model's weights are in {@code ema.safetensors}
 * only. Checkpoints written before this layout (ldm4j at 08357af) still restore: the autoencoder's
 * {@code optimizer.safetensors} then also holds {@code ema.<model parameter>} copies, which the shadows
 * in {@code ema.safetensors} (identical) replace.
 *
 * <p>The whole directory is written at once ({@link Checkpoints#save}, atomic).
 */
public final class TrainCheckpoint {
    private final Block model;
    private final PairList<String, Parameter> params;
    private final TrainStep step;
    private final List<Part> parts = new ArrayList<>();

    /**
     * A further trained block saved beside the model: its weights in {@code <file>.safetensors}, its
     * step's state in {@code optimizer.safetensors} under {@code prefix}.
     */
    private record Part(String file, String prefix, Block block, TrainStep step) {}

    /**
     * @param model the model: its parameters go to model.safetensors (and their averages to ema.safetensors)
     * @param params every parameter {@code step} trains, as passed to {@link TrainStep#applyGradients}:
     *     the model's, and possibly others (e.g. a learned loss log-variance)
     * @param step the model's optimizer, schedule and EMA
     */
    public TrainCheckpoint(Block model, PairList<String, Parameter> params, TrainStep step) {
        this.model = Objects.requireNonNull(model, "model");
        this.params = Objects.requireNonNull(params, "params");
        this.step = Objects.requireNonNull(step, "step");
    }

    /** A model whose step trains exactly its parameters (the common case). */
    public TrainCheckpoint(Block model, TrainStep step) {
        this(model, model.getParameters(), step);
    }

    /**
     * Adds a part: {@code block}'s weights go to {@code <file>.safetensors}, {@code step}'s state to
     * optimizer.safetensors with every key prefixed by {@code prefix}.
     *
     * @return this
     */
    public TrainCheckpoint withPart(String file, String prefix, Block block, TrainStep partStep) {
        if (file.equals(Checkpoints.MODEL) || file.equals(Checkpoints.EMA) || file.equals(Checkpoints.OPTIMIZER)) {
            throw new IllegalArgumentException("part file name '" + file + "' is taken by the layout");
        }
        if (prefix.isEmpty() || prefix.startsWith("adamw.") || prefix.startsWith(Ema.PREFIX)) {
            throw new IllegalArgumentException("part prefix '" + prefix + "' would mix with the model's state");
        }
        parts.add(new Part(file, prefix, Objects.requireNonNull(block, "block"), Objects.requireNonNull(partStep)));
        return this;
    }

    /**
     * Saves everything to {@code dir} with sidecar {@code info}, replacing any checkpoint there
     * atomically. The live weights are written as they are now; nothing is left on any manager.
     *
     * @param scratch a manager for the state copies (e.g. the root); a sub-manager of it is closed here
     */
    public void save(Path dir, Checkpoint info, NDManager scratch) throws IOException {
        try (NDManager tmp = scratch.newSubManager()) {
            Map<String, Map<String, NDArray>> files = new LinkedHashMap<>();
            Map<String, NDArray> weights = BlockParameters.collect(model);
            files.put(Checkpoints.MODEL, weights);
            Map<String, NDArray> optimizer = new LinkedHashMap<>(step.optimizer().stateDict(tmp));
            for (Pair<String, Parameter> p : extras(weights.keySet())) {
                optimizer.put(p.getKey(), p.getValue().getArray());
            }
            step.ema().ifPresent(ema -> {
                Map<String, NDArray> averaged = new LinkedHashMap<>();
                for (String name : weights.keySet()) {
                    averaged.put(name, ema.shadow(name));
                }
                files.put(Checkpoints.EMA, averaged);
                NDArray updates = tmp.create(ema.updates());
                optimizer.put(Ema.UPDATES_KEY, updates);
                for (Pair<String, Parameter> p : extras(weights.keySet())) {
                    optimizer.put(Ema.PREFIX + p.getKey(), ema.shadow(p.getKey()));
                }
            });
            for (Part part : parts) {
                files.put(part.file(), BlockParameters.collect(part.block()));
                part.step().stateDict(tmp).forEach((k, v) -> optimizer.put(part.prefix() + k, v));
            }
            files.put(Checkpoints.OPTIMIZER, optimizer);
            Checkpoints.save(dir, info, files);
        }
    }

    /**
     * Restores weights and training state from {@code dir} into the model, its step and the parts.
     * The sidecar (config, data order, step count) is the caller's to read. Everything is checked
     * before the optimizer and EMA state change; the model's weights are checked before they are
     * copied ({@link Checkpoints#loadInto}).
     *
     * @throws InputException naming the file when a tensor is missing, unknown or mis-shaped
     */
    public void restore(Path dir) {
        Checkpoints.loadInto(dir, Checkpoints.MODEL, model);
        Set<String> modelNames = BlockParameters.collect(model).keySet();
        Path optimizerFile = Checkpoints.tensorFile(dir, Checkpoints.OPTIMIZER);
        NDManager owner = params.get(0).getValue().getArray().getManager();
        try (NDManager tmp = owner.newSubManager()) {
            Map<String, NDArray> dict = new LinkedHashMap<>(Checkpoints.readTensors(dir, Checkpoints.OPTIMIZER, tmp));
            Map<String, Map<String, NDArray>> partDicts = new LinkedHashMap<>();
            for (Part part : parts) {
                Map<String, NDArray> d = new LinkedHashMap<>();
                dict.entrySet().removeIf(e -> {
                    if (e.getKey().startsWith(part.prefix())) {
                        d.put(e.getKey().substring(part.prefix().length()), e.getValue());
                        return true;
                    }
                    return false;
                });
                partDicts.put(part.file(), d);
            }
            Path failing = optimizerFile;
            try {
                if (step.ema().isPresent()) {
                    failing = Checkpoints.tensorFile(dir, Checkpoints.EMA);
                    // the shadows of the model's weights; a pre-08357af-layout optimizer file's copies are replaced
                    for (Map.Entry<String, NDArray> e : Checkpoints.readTensors(dir, Checkpoints.EMA, tmp).entrySet()) {
                        if (!modelNames.contains(e.getKey())) {
                            throw new IllegalArgumentException("tensor " + e.getKey()
                                    + " is not a parameter of the model");
                        }
                        dict.put(Ema.PREFIX + e.getKey(), e.getValue());
                    }
                    failing = optimizerFile;
                }
                step.loadStateDict(dict);
                for (Pair<String, Parameter> p : extras(modelNames)) {
                    NDArray saved = dict.get(p.getKey());
                    if (saved == null) {
                        throw new IllegalArgumentException("no " + p.getKey() + " entry");
                    }
                    saved.copyTo(p.getValue().getArray());
                }
                for (Part part : parts) {
                    Checkpoints.loadInto(dir, part.file(), part.block());
                    part.step().loadStateDict(partDicts.get(part.file()));
                }
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw InputException.inFile(failing, "does not fit the model: " + e.getMessage(), e);
            }
        }
    }

    /** The trained parameters that are not the model's (stored in optimizer.safetensors). */
    private List<Pair<String, Parameter>> extras(Set<String> modelNames) {
        Set<String> seen = new LinkedHashSet<>();
        List<Pair<String, Parameter>> out = new ArrayList<>();
        for (Pair<String, Parameter> p : params) {
            if (!modelNames.contains(p.getKey()) && seen.add(p.getKey())) {
                out.add(p);
            }
        }
        return out;
    }
}
