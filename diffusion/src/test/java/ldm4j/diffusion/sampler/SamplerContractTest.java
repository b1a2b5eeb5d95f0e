package ldm4j.diffusion.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import ldm4j.diffusion.objective.Prediction;
import ldm4j.diffusion.schedule.BetaSchedule;
import ldm4j.diffusion.schedule.NoiseSchedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What a caller of {@link Sampler#sample} relies on: seeds, progress, memory, grids, names. */
class SamplerContractTest {
    private static final NoiseSchedule SCHEDULE = NoiseSchedule.of(BetaSchedule.LINEAR);
    private static final Shape SHAPE = new Shape(8, 1, 2, 2);
    private static final Denoiser ORACLE = GaussianOracle.unconditional(SCHEDULE, Prediction.EPS, 0.3, 0.8);

    private static SamplerConfig config(Sampler sampler, long seed) {
        // η = 1 so that DDIM draws noise at every step too
        return SamplerConfig.of(sampler == Sampler.DDPM ? 1000 : 10, seed).withEta(1.0);
    }

    @ParameterizedTest
    @EnumSource(Sampler.class)
    void sameSeedGivesIdenticalSamplesAndAnotherSeedDifferent(Sampler sampler) {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] a = sampler.sample(ORACLE, Prediction.EPS, SCHEDULE, SHAPE, config(sampler, 1), m).toFloatArray();
            float[] b = sampler.sample(ORACLE, Prediction.EPS, SCHEDULE, SHAPE, config(sampler, 1), m).toFloatArray();
            float[] c = sampler.sample(ORACLE, Prediction.EPS, SCHEDULE, SHAPE, config(sampler, 2), m).toFloatArray();
            assertArrayEquals(a, b);
            assertFalse(Arrays.equals(a, c));
            for (int i = 0; i < a.length; i++) {
                assertTrue(a[i] != c[i], "sample " + i + " equal across seeds");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Sampler.class)
    void progressHookSeesEveryStepInOrder(Sampler sampler) {
        try (NDManager m = NDManager.newBaseManager()) {
            List<Integer> seen = new ArrayList<>();
            SamplerConfig cfg = config(sampler, 3);
            sampler.sample(ORACLE, Prediction.EPS, SCHEDULE, SHAPE, cfg, m, seen::add);
            assertEquals(IntStream.rangeClosed(1, cfg.steps()).boxed().toList(), seen);
        }
    }

    /** Each step's temporaries die with its scope: the caller's manager ends up holding the result only. */
    @ParameterizedTest
    @EnumSource(Sampler.class)
    void samplingLeavesOnlyTheResultOnTheCallersManager(Sampler sampler) {
        try (NDManager m = NDManager.newBaseManager()) {
            SamplerConfig cfg = config(sampler, 4).withGuidance(new int[] {0, 1, 0, 1, 0, 1, 0, 1}, 2, 2.0);
            Denoiser oracle = new GaussianOracle(SCHEDULE, Prediction.V, new double[] {1, -1}, 2, 0, 0.5);
            NDArray x = sampler.sample(oracle, Prediction.V, SCHEDULE, SHAPE, cfg, m);
            assertEquals(1, m.getManagedArrays().size(), "arrays left on the manager");
            assertTrue(m.getManagedArrays().contains(x));
        }
    }

    @Test
    void leadingAndTrailingGridsMatchTheirDefinitions() {
        assertArrayEquals(IntStream.iterate(950, t -> t >= 0, t -> t - 50).toArray(), TimestepSpacing.LEADING.timesteps(1000, 20));
        assertArrayEquals(IntStream.iterate(999, t -> t >= 0, t -> t - 50).toArray(), TimestepSpacing.TRAILING.timesteps(1000, 20));
        assertArrayEquals(new int[] {999, 666, 332}, TimestepSpacing.TRAILING.timesteps(1000, 3));
        assertArrayEquals(new int[] {666, 333, 0}, TimestepSpacing.LEADING.timesteps(1000, 3));
        // 1000 − 3 · 62.5 = 812.5 rounds half to even, as numpy does: 812 − 1 = 811
        assertEquals(811, TimestepSpacing.TRAILING.timesteps(1000, 16)[3]);
        int[] all = IntStream.iterate(999, t -> t >= 0, t -> t - 1).toArray();
        assertArrayEquals(all, TimestepSpacing.LEADING.timesteps(1000, 1000));
        assertArrayEquals(all, TimestepSpacing.TRAILING.timesteps(1000, 1000));
    }

    @Test
    void gridRejectsStepCountsOutsideOneToT() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TimestepSpacing.LEADING.timesteps(1000, 1001));
        assertTrue(e.getMessage().contains("[1, 1000]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TimestepSpacing.TRAILING.timesteps(1000, 0));
    }

    @Test
    void configRejectsBadValuesNamingTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SamplerConfig.of(0, 1)).getMessage().startsWith("steps"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SamplerConfig.of(10, 1).withEta(-0.1))
                .getMessage().startsWith("eta"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SamplerConfig.of(10, 1).withGuidance(new int[] {0}, 1, Double.NaN))
                .getMessage().startsWith("guidanceScale"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SamplerConfig.of(10, 1).withGuidance(new int[] {-1}, 1, 2))
                .getMessage().startsWith("classLabels"));
        try (NDManager m = NDManager.newBaseManager()) {
            SamplerConfig wrongBatch = SamplerConfig.of(10, 1).withGuidance(new int[] {0, 1}, 2, 2);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Sampler.DDIM.sample(ORACLE, Prediction.EPS, SCHEDULE, SHAPE, wrongBatch, m));
            assertTrue(e.getMessage().contains("classLabels has 2 entries but the batch has 8"), e.getMessage());
        }
    }

    @Test
    void configCopiesItsLabels() {
        int[] labels = {1, 2};
        SamplerConfig cfg = SamplerConfig.of(10, 1).withGuidance(labels, 0, 1);
        labels[0] = 7;
        assertArrayEquals(new int[] {1, 2}, cfg.classLabels());
    }

    @Test
    void fromStringAcceptsNamesAndRejectsOthersListingValidValues() {
        assertEquals(Sampler.DDPM, Sampler.fromString("ddpm"));
        assertEquals(Sampler.DDIM, Sampler.fromString("DDIM"));
        assertEquals(Sampler.DPMPP_2M, Sampler.fromString("dpm++2m"));
        assertEquals(TimestepSpacing.LEADING, TimestepSpacing.fromString("uniform"));
        assertEquals(TimestepSpacing.LEADING, TimestepSpacing.fromString("leading"));
        assertEquals(TimestepSpacing.TRAILING, TimestepSpacing.fromString("trailing"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sampler.fromString("euler"));
        assertTrue(e.getMessage().contains("ddpm, ddim, dpm++2m"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TimestepSpacing.fromString("linspace"));
        assertTrue(e.getMessage().contains("uniform, trailing"), e.getMessage());
    }
}
