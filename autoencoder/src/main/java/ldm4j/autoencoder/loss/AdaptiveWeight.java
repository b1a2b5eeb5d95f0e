package ldm4j.autoencoder.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import ldm4j.core.nn.Scalars;
import ldm4j.core.train.GradNormClip;
import ldm4j.core.train.Gradients;
import ldm4j.core.train.ParamGrad;

/**
 * LDM's adaptive GAN weight (Esser et al. 2021, "Taming Transformers", eq. 7; LDM's {@code
 * calculate_adaptive_weight}): the generator term is scaled so that its gradient at the decoder's
 * last layer L is as large as the reconstruction term's,
 *
 * <pre>
 * λ = clamp(‖∇_L rec‖ / (‖∇_L g‖ + 1e-4), 0, 1e4) · discWeight        (detached: a number, not a tensor)
 * total gradient = ∇(rec + β·KL) + λ · ∇g
 * </pre>
 *
 * <p>KL does not depend on L, so {@code ∇_L (rec + β·KL) = ∇_L rec} and the VAE loss can be
 * differentiated as a whole. PyTorch computes both norms with {@code torch.autograd.grad(loss,
 * last_layer)}; DJL 0.36 has no such call, only {@code backward} into every parameter's {@code
 * .grad}. So {@link #backward} runs two backward passes over the same graph: the first keeps the
 * graph ({@link JniUtils#backward} with {@code keepGraph}), its gradients are copied aside and
 * zeroed, the second gives ∇g, and the gradients are then combined in place as {@code copy + λ·∇g}.
 * Cost: one extra backward pass through the discriminator, decoder and encoder (a backward pass
 * costs about two forward passes, so a GAN step does roughly 5 forward passes' work where a plain
 * VAE step does 3, before the discriminator's own step), and one copy of the gradients.
 */
public final class AdaptiveWeight {
    /** Added to the generator's gradient norm so that a vanishing one does not divide by zero. */
    public static final double EPS = 1e-4;
    /** Upper clamp of the ratio, as in LDM. */
    public static final double MAX = 1e4;

    /**
     * What {@link #backward} found.
     *
     * @param weight λ, the factor applied to the generator's gradients
     * @param recNorm ‖∇_L (rec + β·KL)‖ at the last layer
     * @param genNorm ‖∇_L g‖ at the last layer
     */
    public record Result(double weight, double recNorm, double genNorm) {}

    private AdaptiveWeight() {}

    /** {@code clamp(recNorm / (genNorm + 1e-4), 0, 1e4) · discWeight}; 0 when a norm is not finite. */
    public static double of(double recNorm, double genNorm, double discWeight) {
        double ratio = recNorm / (genNorm + EPS);
        if (!Double.isFinite(ratio)) {
            // A NaN gradient: the step will be skipped by the non-finite guard anyway.
            return Double.isNaN(ratio) ? Double.NaN : MAX * discWeight;
        }
        return Math.min(Math.max(ratio, 0), MAX) * discWeight;
    }

    /**
     * Back-propagates {@code vaeLoss + λ·genLoss} into {@code params} with λ from {@link #of}, as
     * described in the class notes. Call it inside {@code collector}'s scope, after the forward pass,
     * with all gradients zero.
     *
     * @param vaeLoss scalar {@code rec + β·KL}
     * @param genLoss scalar generator loss, from the same forward pass
     * @param params every parameter that should end up with the combined gradient (the
     *     autoencoder's, plus the loss's log-variance); parameters outside the list (the
     *     discriminator's) end up holding ∇g, which the caller must zero
     * @param lastLayer the decoder's last layer, one of {@code params}
     * @param discWeight the factor on the ratio
     * @param collector the open gradient collector
     * @param scope the step's manager; temporaries close with it
     */
    public static Result backward(NDArray vaeLoss, NDArray genLoss, PairList<String, Parameter> params,
            Parameter lastLayer, double discWeight, GradientCollector collector, NDManager scope) {
        String lastName = nameOf(lastLayer, params);
        JniUtils.backward((PtNDArray) vaeLoss, (PtNDArray) vaeLoss.onesLike(), true, false);
        List<ParamGrad> vaeGrads = Gradients.collect(params, scope);
        double recNorm = normOf(lastName, vaeGrads);
        List<NDArray> saved = new ArrayList<>(vaeGrads.size());
        for (ParamGrad g : vaeGrads) {
            saved.add(g.grad().duplicate());
        }
        Gradients.zero(vaeGrads);
        collector.backward(genLoss);
        // Collected again: PyTorch may replace a .grad that is still referenced instead of adding in place.
        List<ParamGrad> genGrads = Gradients.collect(params, scope);
        double genNorm = normOf(lastName, genGrads);
        double weight = of(recNorm, genNorm, discWeight);
        for (int i = 0; i < genGrads.size(); i++) {
            ParamGrad g = genGrads.get(i);
            if (!g.name().equals(vaeGrads.get(i).name())) {
                throw new IllegalStateException("gradient lists differ at " + g.name());
            }
            Scalars.muli(g.grad(), weight).addi(saved.get(i));
        }
        return new Result(weight, recNorm, genNorm);
    }

    private static String nameOf(Parameter p, PairList<String, Parameter> params) {
        for (int i = 0; i < params.size(); i++) {
            if (params.valueAt(i) == p) {
                return params.keyAt(i);
            }
        }
        throw new IllegalArgumentException("the last layer " + p.getName() + " is not among the parameters");
    }

    private static double normOf(String name, List<ParamGrad> grads) {
        for (ParamGrad g : grads) {
            if (g.name().equals(name)) {
                return GradNormClip.globalNorm(List.of(g));
            }
        }
        return 0; // no gradient reached the last layer
    }
}
