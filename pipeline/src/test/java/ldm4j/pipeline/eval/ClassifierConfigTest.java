package ldm4j.pipeline.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Configs validate themselves; the network fits the shapes ldm4j's datasets have. */
class ClassifierConfigTest {
    @Test
    void configRejectsBadValuesNamingTheField() {
        assertRejected("inputChannels", () -> new ClassifierConfig(2, 10, List.of(32), 128, 0));
        assertRejected("numClasses", () -> new ClassifierConfig(1, 1, List.of(32), 128, 0));
        assertRejected("widths", () -> new ClassifierConfig(1, 10, List.of(), 128, 0));
        assertRejected("widths", () -> new ClassifierConfig(1, 10, List.of(32, 0), 128, 0));
        assertRejected("featureDim", () -> new ClassifierConfig(1, 10, List.of(32), 0, 0));
        assertRejected("dropout", () -> new ClassifierConfig(1, 10, List.of(32), 128, 1.0));
        assertRejected("steps", () -> ClassifierTrainingConfig.of(0, 64, 1e-3, 0));
        assertRejected("batchSize", () -> ClassifierTrainingConfig.of(10, 0, 1e-3, 0));
        assertRejected("lr", () -> ClassifierTrainingConfig.of(10, 64, -1, 0));
        assertRejected("warmupSteps", () -> new ClassifierTrainingConfig(10, 64, 1e-3, 0, 10, 2, false, 0));
        assertRejected("maxShift", () -> new ClassifierTrainingConfig(10, 64, 1e-3, 0, 1, -1, false, 0));
    }

    @Test
    void recipeHashChangesWithEveryFieldOfTheRecipe() {
        ClassifierConfig m = new ClassifierConfig(1, 10, List.of(32, 64), 128, 0);
        ClassifierTrainingConfig t = ClassifierTrainingConfig.defaults();
        String h = ClassifierRun.recipeHash(m, t);
        assertEquals(12, h.length());
        assertEquals(h, ClassifierRun.recipeHash(new ClassifierConfig(1, 10, List.of(32, 64), 128, 0), t));
        assertTrue(!h.equals(ClassifierRun.recipeHash(m.withWidths(List.of(32, 32)), t)));
        assertTrue(!h.equals(ClassifierRun.recipeHash(m, t.withHflip(true))));
        assertTrue(!h.equals(ClassifierRun.recipeHash(m, t.withSteps(t.steps() + 1))));
    }

    @Test
    void defaultNetworkGivesLogitsAndFeaturesForOneOrThreeChannelsAt32And64() {
        for (int[] chw : new int[][] {{1, 32, 32}, {3, 64, 64}, {1, 28, 28}}) {
            ClassifierConfig config = new ClassifierConfig(chw[0], 10, ClassifierConfig.DEFAULT_WIDTHS,
                    ClassifierConfig.DEFAULT_FEATURE_DIM, 0.1);
            try (NDManager root = NDManager.newBaseManager(Device.cpu())) {
                FeatureClassifier net = new FeatureClassifier(config);
                Shape in = new Shape(2, chw[0], chw[1], chw[2]);
                net.initialize(root, DataType.FLOAT32, in);
                NDList out = net.forward(new ParameterStore(root, false), new NDList(root.randomNormal(in)), false);
                assertEquals(new Shape(2, 10), out.get(0).getShape());
                assertEquals(new Shape(2, 128), out.get(1).getShape());
                assertEquals(out.get(0).getShape(), net.getOutputShapes(new Shape[] {in})[0]);
                assertEquals(out.get(1).getShape(), net.getOutputShapes(new Shape[] {in})[1]);
            }
        }
    }

    @Test
    void parameterNamesAreStableAndReadable() {
        try (NDManager root = NDManager.newBaseManager(Device.cpu())) {
            FeatureClassifier net = new FeatureClassifier(new ClassifierConfig(1, 3, List.of(16, 32), 24, 0));
            net.initialize(root, DataType.FLOAT32, new Shape(1, 1, 16, 16));
            List<String> names = net.getParameters().keys();
            assertEquals("01stage1_01conv_weight", names.get(0));
            assertTrue(names.contains("02stage2_02norm_runningMean"), names.toString());
            assertTrue(names.contains("03features_weight") && names.contains("05head_bias"), names.toString());
        }
    }

    private static void assertRejected(String field, Supplier<?> make) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make::get);
        assertTrue(e.getMessage().startsWith(field), e.getMessage());
    }
}
