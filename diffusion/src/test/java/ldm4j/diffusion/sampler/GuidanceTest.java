package ldm4j.diffusion.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.stream.Stream;
import ldm4j.diffusion.objective.Prediction;
import ldm4j.diffusion.schedule.BetaSchedule;
import ldm4j.diffusion.schedule.NoiseSchedule;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Classifier-free guidance with a class-dependent Gaussian oracle: class 0 is N(2, 1), class 1 is
 * N(−1, 1), the null class is N(0.5, 1). With one shared σ, ε_u + w(ε_c − ε_u) is exactly the oracle
 * of N(μ_u + w(μ_c − μ_u), 1), and the same holds for v (affine in ε at fixed x_t). So w = 1 samples
 * the class, w = 0 the null class, w = 3 the extrapolated mean μ_u + 3(μ_c − μ_u).
 *
 * <p>Each half of the batch holds 8,192 values: five standard errors are 0.055 for the mean and 3.9%
 * for the std; the discretisation allowance is that of the sampler setting (σ = 1, trailing cosine:
 * std bias ≤ 2.5% for DDIM at 50 steps, ≤ 1.5% for DPM-Solver++ at 20, ≤ 0.5% for DDPM).
 */
class GuidanceTest {
    private static final double[] CLASS_MEANS = {2.0, -1.0};
    private static final int NULL_CLASS = 2;
    private static final double NULL_MEAN = 0.5;
    private static final Shape SHAPE = new Shape(4096, 1, 2, 2);
    private static final int[] LABELS = new int[4096];

    static {
        Arrays.fill(LABELS, 2048, 4096, 1);                  // first half class 0, second half class 1
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(Sampler.DDPM, 1000, 0.01, Prediction.EPS),
                Arguments.of(Sampler.DDIM, 50, 0.03, Prediction.V),
                Arguments.of(Sampler.DPMPP_2M, 20, 0.02, Prediction.EPS),
                Arguments.of(Sampler.DPMPP_2M, 20, 0.02, Prediction.V));
    }

    @ParameterizedTest(name = "{0} n={1} {3}")
    @MethodSource("cases")
    void guidanceScaleMovesTheMeanFromNullClassThroughClassAndBeyond(Sampler sampler, int steps, double stdBias,
            Prediction prediction) {
        NoiseSchedule schedule = NoiseSchedule.of(BetaSchedule.COSINE);
        GaussianOracle oracle = new GaussianOracle(schedule, prediction, CLASS_MEANS, NULL_CLASS, NULL_MEAN, 1.0);
        double n = SHAPE.size() / 2.0;
        double meanTol = 5 / Math.sqrt(n) + 0.01;
        double stdTol = 5 / Math.sqrt(2 * n) + stdBias;
        try (NDManager m = NDManager.newBaseManager()) {
            for (double w : new double[] {1, 0, 3}) {
                SamplerConfig cfg = SamplerConfig.of(steps, 99).withSpacing(TimestepSpacing.TRAILING)
                        .withGuidance(LABELS, NULL_CLASS, w);
                float[] x = sampler.sample(oracle, prediction, schedule, SHAPE, cfg, m).toFloatArray();
                for (int k = 0; k < 2; k++) {
                    Moments got = Moments.of(Moments.half(x, k));
                    double want = NULL_MEAN + w * (CLASS_MEANS[k] - NULL_MEAN);
                    assertEquals(want, got.mean(), meanTol, "w = " + w + ", class " + k + " mean");
                    assertEquals(1.0, got.std(), stdTol, "w = " + w + ", class " + k + " std");
                }
            }
        }
    }
}
