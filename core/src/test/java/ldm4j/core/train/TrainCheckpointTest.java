package ldm4j.core.train;

import static ldm4j.core.train.TrainFixtures.backwardWithGradients;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import ldm4j.core.InputException;
import ldm4j.core.io.BlockParameters;
import ldm4j.core.io.Checkpoint;
import ldm4j.core.io.Checkpoints;
import ldm4j.core.io.Provenance;
import ldm4j.core.io.Safetensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared checkpoint layout: a model trained with EMA, a trained parameter outside the model (as
 * the autoencoder's loss log-variance) and a part with its own optimizer (as the discriminator).
 */
class TrainCheckpointTest {
    @TempDir
    Path dir;

    /** Everything a trainer holds, built from an engine seed (so two rigs start from other weights). */
    private static final class Rig implements AutoCloseable {
        final NDManager root = NDManager.newBaseManager();
        final Block model;
        final Parameter logvar;
        final PairList<String, Parameter> params = new PairList<>();
        final TrainStep step;
        final Block disc;
        final TrainStep discStep;

        Rig(long seed, int units) {
            Engine.getInstance().setRandomSeed((int) seed);
            model = linear(units, 3);
            model.getParameters().forEach(params::add);
            logvar = TrainFixtures.param(root, "loss.logvar", new Shape(), (float) seed);
            params.add("loss.logvar", logvar);
            step = new TrainStep(new AdamW(root, AdamWConfig.defaults()), LrSchedule.constant(1e-2, 2),
                    new GradNormClip(1.0), new NonFiniteGuard(), new Ema(root, new EmaConfig(0.9, true), params));
            disc = linear(1, 2);
            discStep = new TrainStep(new AdamW(root, AdamWConfig.defaults()), LrSchedule.constant(1e-3, 0),
                    new GradNormClip(1.0), new NonFiniteGuard());
        }

        private Block linear(int units, int in) {
            Block b = Linear.builder().setUnits(units).build();
            b.initialize(root, DataType.FLOAT32, new Shape(1, in));
            return b;
        }

        TrainCheckpoint layout() {
            return new TrainCheckpoint(model, params, step).withPart("discriminator", "disc.", disc, discStep);
        }

        /** One step of each optimizer with gradients drawn from (step). */
        void train(int stepIndex) {
            SplittableRandom r = new SplittableRandom(stepIndex);
            try (NDManager scope = root.newSubManager()) {
                backwardWithGradients(params, scope, draws(params, r));
                step.applyGradients(params, 1f, scope);
                PairList<String, Parameter> d = disc.getParameters();
                backwardWithGradients(d, scope, draws(d, r));
                discStep.applyGradients(d, 1f, scope);
            }
        }

        private static float[][] draws(PairList<String, Parameter> ps, SplittableRandom r) {
            float[][] out = new float[ps.size()][];
            for (int i = 0; i < ps.size(); i++) {
                out[i] = new float[Math.toIntExact(ps.get(i).getValue().getArray().size())];
                for (int k = 0; k < out[i].length; k++) {
                    out[i][k] = (float) r.nextGaussian();
                }
            }
            return out;
        }

        /** Every number of the state, as raw bytes by key. */
        Map<String, byte[]> snapshot() {
            Map<String, byte[]> out = new TreeMap<>();
            try (NDManager tmp = root.newSubManager()) {
                for (Pair<String, Parameter> p : params) {
                    out.put("param." + p.getKey(), p.getValue().getArray().toByteArray());
                }
                BlockParameters.collect(disc).forEach((k, v) -> out.put("disc." + k, v.toByteArray()));
                step.stateDict(tmp).forEach((k, v) -> out.put(k, v.toByteArray()));
                discStep.stateDict(tmp).forEach((k, v) -> out.put("disc." + k, v.toByteArray()));
            }
            return out;
        }

        @Override
        public void close() {
            root.close();
        }
    }

    private static Checkpoint info(long step) {
        return Checkpoint.of("test", Map.of("units", 2), step, Map.of(), null, Provenance.current(0, "cpu()"));
    }

    private static void assertSameState(Map<String, byte[]> expected, Map<String, byte[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((k, v) -> assertArrayEquals(v, actual.get(k), k));
    }

    @Test
    void restoreIsBitExactAndContinuesLikeTheUninterruptedRun() throws IOException {
        Path ckpt = dir.resolve("ckpt");
        Map<String, byte[]> atSave;
        Map<String, byte[]> uninterrupted;
        try (Rig a = new Rig(1, 2)) {
            for (int s = 1; s <= 3; s++) {
                a.train(s);
            }
            a.layout().save(ckpt, info(3), a.root);
            atSave = a.snapshot();
            a.train(4);
            a.train(5);
            uninterrupted = a.snapshot();
        }
        try (Rig b = new Rig(2, 2)) {
            assertFalse(java.util.Arrays.equals(atSave.get("param.weight"), b.snapshot().get("param.weight")),
                    "another start, so the restore has something to do");
            b.layout().restore(ckpt);
            int arrays = b.root.getManagedArrays().size();
            b.layout().restore(ckpt);
            assertEquals(arrays, b.root.getManagedArrays().size(), "a restore leaves no temporary behind");
            assertSameState(atSave, b.snapshot());
            b.train(4);
            b.train(5);
            assertSameState(uninterrupted, b.snapshot());
        }
    }

    @Test
    void theEmaOfTheModelIsStoredOnceInEmaSafetensors() throws IOException {
        Path ckpt = dir.resolve("ckpt");
        List<String> modelNames;
        try (Rig a = new Rig(1, 2)) {
            a.train(1);
            a.layout().save(ckpt, info(1), a.root);
            modelNames = new ArrayList<>(BlockParameters.collect(a.model).keySet());
        }
        List<String> ema = names(ckpt, Checkpoints.EMA);
        List<String> optimizer = names(ckpt, Checkpoints.OPTIMIZER);
        assertEquals(modelNames.stream().sorted().toList(), ema, "the model's shadows, under the model's names");
        for (String name : modelNames) {
            assertFalse(optimizer.contains(Ema.PREFIX + name), "no second copy of " + name + ": " + optimizer);
        }
        assertTrue(optimizer.containsAll(List.of(AdamW.STEP_KEY, Ema.UPDATES_KEY, "loss.logvar", "ema.loss.logvar",
                "disc.adamw.step")), optimizer.toString());
        assertEquals(List.of("bias", "weight"), names(ckpt, "discriminator"));
        assertEquals(names(ckpt, Checkpoints.MODEL), ema);
    }

    @Test
    void theLayoutBeforeItWasSharedStillRestores() throws IOException {
        // ldm4j 08357af's autoencoder: optimizer.safetensors held the TrainStep's whole state dict,
        // shadows of the model's weights included, beside the same shadows in ema.safetensors.
        Path ckpt = dir.resolve("old");
        Map<String, byte[]> atSave;
        try (Rig a = new Rig(1, 2); NDManager tmp = a.root.newSubManager()) {
            a.train(1);
            a.train(2);
            Map<String, NDArray> optimizer = new java.util.LinkedHashMap<>(a.step.stateDict(tmp));
            optimizer.put("loss.logvar", a.logvar.getArray());
            a.discStep.stateDict(tmp).forEach((k, v) -> optimizer.put("disc." + k, v));
            Map<String, NDArray> ema = new java.util.LinkedHashMap<>();
            BlockParameters.collect(a.model).keySet().forEach(k -> ema.put(k, a.step.ema().orElseThrow().shadow(k)));
            Checkpoints.save(ckpt, info(2), Map.of(Checkpoints.MODEL, BlockParameters.collect(a.model),
                    Checkpoints.EMA, ema, Checkpoints.OPTIMIZER, optimizer,
                    "discriminator", BlockParameters.collect(a.disc)));
            atSave = a.snapshot();
        }
        try (Rig b = new Rig(2, 2)) {
            b.layout().restore(ckpt);
            assertSameState(atSave, b.snapshot());
        }
    }

    @Test
    void aCheckpointOfAnotherShapeIsOneInputErrorNamingTheFile() throws IOException {
        Path ckpt = dir.resolve("ckpt");
        try (Rig a = new Rig(1, 2)) {
            a.train(1);
            a.layout().save(ckpt, info(1), a.root);
        }
        try (Rig wider = new Rig(1, 3)) {
            InputException e = assertThrows(InputException.class, () -> wider.layout().restore(ckpt));
            assertTrue(e.getMessage().contains(Checkpoints.tensorFile(ckpt, Checkpoints.MODEL).toString()),
                    e.getMessage());
        }
    }

    private static List<String> names(Path ckpt, String file) {
        return Safetensors.readHeader(Checkpoints.tensorFile(ckpt, file)).entries().stream()
                .map(Safetensors.Entry::name).sorted().toList();
    }
}
