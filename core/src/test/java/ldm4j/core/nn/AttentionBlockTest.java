package ldm4j.core.nn;

import static ldm4j.core.nn.NnTestSupport.assertClose;
import static ldm4j.core.nn.NnTestSupport.fix;
import static ldm4j.core.nn.NnTestSupport.init;
import static ldm4j.core.nn.NnTestSupport.run;
import static ldm4j.core.nn.NnTestSupport.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AttentionBlockTest {

    @Test
    void ldmLayoutKeepsLdmNames() {
        assertEquals(
                List.of(
                        "01norm_gamma", "01norm_beta", "02q_weight", "02q_bias", "03k_weight", "03k_bias",
                        "04v_weight", "04v_bias", "05proj_out_weight", "05proj_out_bias"),
                AttentionBlock.ldm(8).getParameters().keys());
    }

    @Test
    void admLayoutKeepsAdmNames() {
        assertEquals(
                List.of(
                        "01norm_gamma", "01norm_beta", "02qkv_weight", "02qkv_bias", "03proj_out_weight",
                        "03proj_out_bias"),
                AttentionBlock.adm(8, 2).getParameters().keys());
    }

    @Test
    void bothLayoutsMatchReferenceAttention() {
        checkAgainstReference(4, 1, false, 2, 3, 12);
        for (int heads : new int[] {1, 2}) {
            checkAgainstReference(4, heads, true, 2, 3, 11 + heads);
        }
    }

    @Test
    void rejectsHeadCountThatDoesNotDivideChannels() {
        assertThrows(IllegalArgumentException.class, () -> AttentionBlock.adm(6, 4));
    }

    /** Runs the block with random fixed weights and compares with a plain-Java attention. */
    private static void checkAgainstReference(int c, int heads, boolean fused, int height, int width, long seed) {
        Random rnd = new Random(seed);
        int len = height * width;
        float[][] w = new float[4][c * c]; // q, k, v, proj_out 1×1 weights, (out, in)
        float[][] b = new float[4][c];
        for (int p = 0; p < 4; p++) {
            for (int i = 0; i < c * c; i++) {
                w[p][i] = (float) rnd.nextGaussian() * 0.7f;
            }
            for (int i = 0; i < c; i++) {
                b[p][i] = (float) rnd.nextGaussian() * 0.1f;
            }
        }
        float[] x = new float[c * len];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian() * 2 + 1;
        }
        AttentionBlock block = fused ? AttentionBlock.adm(c, heads) : AttentionBlock.ldm(c);
        if (fused) {
            // qkv stacks the q, k and v filters in that order.
            float[] qkvWeight = new float[3 * c * c];
            float[] qkvBias = new float[3 * c];
            for (int p = 0; p < 3; p++) {
                System.arraycopy(w[p], 0, qkvWeight, p * c * c, c * c);
                System.arraycopy(b[p], 0, qkvBias, p * c, c);
            }
            fix(block, "02qkv_weight", values(qkvWeight));
            fix(block, "02qkv_bias", values(qkvBias));
            fix(block, "03proj_out_weight", values(w[3]));
            fix(block, "03proj_out_bias", values(b[3]));
        } else {
            String[] names = {"02q", "03k", "04v", "05proj_out"};
            for (int p = 0; p < 4; p++) {
                fix(block, names[p] + "_weight", values(w[p]));
                fix(block, names[p] + "_bias", values(b[p]));
            }
        }

        // Reference GroupNorm with the block's default group count, identity affine.
        int groups = GroupNorm.defaultGroups(c);
        int perGroup = c / groups;
        double[][] h = new double[c][len];
        for (int g = 0; g < groups; g++) {
            double mean = 0;
            double var = 0;
            int n = perGroup * len;
            for (int ch = g * perGroup; ch < (g + 1) * perGroup; ch++) {
                for (int i = 0; i < len; i++) {
                    mean += x[ch * len + i] / (double) n;
                }
            }
            for (int ch = g * perGroup; ch < (g + 1) * perGroup; ch++) {
                for (int i = 0; i < len; i++) {
                    var += Math.pow(x[ch * len + i] - mean, 2) / n;
                }
            }
            for (int ch = g * perGroup; ch < (g + 1) * perGroup; ch++) {
                for (int i = 0; i < len; i++) {
                    h[ch][i] = (x[ch * len + i] - mean) / Math.sqrt(var + 1e-6);
                }
            }
        }
        double[][][] qkv = new double[3][][];
        for (int p = 0; p < 3; p++) {
            qkv[p] = conv1x1(w[p], b[p], h);
        }
        int d = c / heads;
        double[][] attended = new double[c][len];
        for (int head = 0; head < heads; head++) {
            for (int i = 0; i < len; i++) {
                double[] scores = new double[len];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < len; j++) {
                    for (int e = 0; e < d; e++) {
                        scores[j] += qkv[0][head * d + e][i] * qkv[1][head * d + e][j];
                    }
                    scores[j] /= Math.sqrt(d);
                    max = Math.max(max, scores[j]);
                }
                double sum = 0;
                for (int j = 0; j < len; j++) {
                    scores[j] = Math.exp(scores[j] - max);
                    sum += scores[j];
                }
                for (int e = 0; e < d; e++) {
                    double acc = 0;
                    for (int j = 0; j < len; j++) {
                        acc += scores[j] / sum * qkv[2][head * d + e][j];
                    }
                    attended[head * d + e][i] = acc;
                }
            }
        }
        double[][] out = conv1x1(w[3], b[3], attended);
        double[] expected = new double[c * len];
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < len; i++) {
                expected[ch * len + i] = x[ch * len + i] + out[ch][i];
            }
        }

        try (NDManager m = NDManager.newBaseManager()) {
            Shape shape = new Shape(1, c, height, width);
            init(block, m, shape);
            assertClose(expected, run(block, m, m.create(x, shape)), 1e-4);
        }
    }

    private static double[][] conv1x1(float[] w, float[] b, double[][] in) {
        int c = b.length;
        int len = in[0].length;
        double[][] out = new double[c][len];
        for (int o = 0; o < c; o++) {
            for (int i = 0; i < len; i++) {
                double acc = b[o];
                for (int k = 0; k < in.length; k++) {
                    acc += w[o * in.length + k] * in[k][i];
                }
                out[o][i] = acc;
            }
        }
        return out;
    }
}
