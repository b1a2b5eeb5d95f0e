package ldm4j.autoencoder.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import ldm4j.autoencoder.AutoencoderKL;
import ldm4j.autoencoder.loss.AdaptiveWeight;
import ldm4j.autoencoder.loss.AutoencoderLoss;
import ldm4j.autoencoder.loss.DiscriminatorConfig;
import ldm4j.autoencoder.loss.HingeLoss;
import ldm4j.autoencoder.loss.PatchDiscriminator;
import ldm4j.core.engine.EngineSetup;
import ldm4j.core.train.AdamW;
import ldm4j.core.train.AdamWConfig;
import ldm4j.core.train.Ema;
import ldm4j.core.train.EmaConfig;
import ldm4j.core.train.GradNormClip;
import ldm4j.core.train.Gradients;
import ldm4j.core.train.LrSchedule;
import ldm4j.core.train.NonFiniteGuard;
import ldm4j.core.train.StepStats;
import ldm4j.core.train.TrainStep;

/**
 * The model, loss, optimisers and discriminator of an autoencoder run, and what one training step
 * does with a batch. {@link AutoencoderTrainer} drives it from the {@code TrainingLoop}; the
 * benchmark times it on synthetic batches.
 *
 * <p>One step: the engine's RNG is reseeded from (seed, step), so posterior noise and dropout do
 * not depend on what ran before (exact resume); a posterior sample is decoded; the loss is {@code
 * rec + β·KL} per image averaged over the batch (plus, from {@code disc.start} on, λ·g with the
 * hinge generator loss g and LDM's adaptive weight λ, see {@link AdaptiveWeight}); {@link TrainStep}
 * clips, skips non-finite steps, applies AdamW at the scheduled rate and updates the EMA. The
 * discriminator then takes its own hinge-loss step with its own AdamW.
 *
 * <p>All arrays are created on the root manager given to the constructor; each step's temporaries
 * live on the step's scope.
 */
public final class AutoencoderStep {
    /** Key of the NLL log-variance among the trained parameters and in {@code optimizer.safetensors}. */
    public static final String LOGVAR_KEY = "loss.logvar";

    private final AutoencoderTrainConfig config;
    private final AutoencoderKL model;
    private final AutoencoderLoss loss;
    private final PairList<String, Parameter> params;
    private final TrainStep step;
    private final PatchDiscriminator disc;
    private final TrainStep discStep;
    private Runnable beforeBackward = () -> {};

    /**
     * Builds and initialises everything, seeding the engine with {@code config.seed()} first so the
     * initial weights are reproducible.
     *
     * @param config the run's config
     * @param root the long-lived manager for weights and optimiser state
     * @param imageSize the side of the (square) training images, for the discriminator's shapes
     */
    public AutoencoderStep(AutoencoderTrainConfig config, NDManager root, int imageSize) {
        this.config = config;
        EngineSetup.seed(config.seed());
        this.model = new AutoencoderKL(config.model());
        model.initialize(root);
        this.loss = new AutoencoderLoss(config.loss(), config.beta(), 0f, config.sigma());
        loss.initialize(root);
        this.params = new PairList<>();
        for (Pair<String, Parameter> p : model.getParameters()) {
            params.add(p);
        }
        for (Pair<String, Parameter> p : loss.getParameters()) {
            params.add(LOGVAR_KEY, p.getValue());
        }
        AdamWConfig adam = AdamWConfig.defaults().withWeightDecay(config.weightDecay());
        Ema ema = config.ema() ? new Ema(root, new EmaConfig(config.emaDecay(), true), params) : null;
        this.step = new TrainStep(new AdamW(root, adam), config.schedule(), new GradNormClip(config.gradClip()),
                new NonFiniteGuard(), ema);
        DiscriminatorConfig d = config.disc();
        if (d.enabled()) {
            if (imageSize < d.minImageSize()) {
                throw new IllegalArgumentException("a " + d.layers() + "-layer discriminator needs images of at least "
                        + d.minImageSize() + " pixels, got " + imageSize);
            }
            this.disc = new PatchDiscriminator(config.model().inChannels(), d);
            disc.initialize(root, imageSize);
            this.discStep = new TrainStep(new AdamW(root, AdamWConfig.defaults().withWeightDecay(0)),
                    LrSchedule.constant(d.lr(), 0), new GradNormClip(config.gradClip()), new NonFiniteGuard());
        } else {
            this.disc = null;
            this.discStep = null;
        }
    }

    /** Columns of the rows {@link #run} returns: step statistics, the log-variance for NLL, GAN terms when enabled. */
    public List<String> columns() {
        List<String> cols = new ArrayList<>(List.of("loss", "rec", "kl", "grad_norm", "lr", "skipped"));
        if (config.loss().hasLogvar()) {
            cols.add("logvar");
        }
        if (disc != null) {
            cols.addAll(List.of("g_loss", "d_weight", "d_loss"));
        }
        return cols;
    }

    /**
     * One training step on {@code x}.
     *
     * @param x images (N, C, H, W) in [-1, 1], on {@code scope}
     * @param stepIndex the 0-based step number (fixes the noise and whether the GAN term is on)
     * @param scope the step's manager
     * @return the row for the log, keyed by {@link #columns()}; {@code skipped} counts this process's
     *     skipped steps (the trainer adds those of earlier runs)
     */
    public Map<String, Double> run(NDArray x, long stepIndex, NDManager scope) {
        EngineSetup.seed(new SplittableRandom(config.seed()).split().nextLong() ^ stepIndex * 0x9E3779B97F4A7C15L);
        ParameterStore ps = new ParameterStore(scope, false);
        boolean gan = disc != null && stepIndex >= config.disc().start();
        AutoencoderLoss.Terms terms;
        NDArray reconstruction;
        float total;
        float gLoss = Float.NaN;
        double dWeight = Double.NaN;
        try (GradientCollector gc = EngineSetup.engine().newGradientCollector()) {
            AutoencoderKL.Output output = model.forward(ps, x, true, true);
            reconstruction = output.reconstruction();
            terms = loss.compute(x, reconstruction, output.posterior());
            if (gan) {
                NDArray g = HingeLoss.generator(disc.logits(ps, reconstruction, true));
                beforeBackward.run();
                AdaptiveWeight.Result w = AdaptiveWeight.backward(terms.total(), g, params, model.lastLayer(),
                        config.disc().weight(), gc, scope);
                gLoss = g.getFloat();
                dWeight = w.weight();
                total = (float) (terms.totalValue() + dWeight * gLoss);
            } else {
                beforeBackward.run();
                gc.backward(terms.total());
                total = terms.totalValue();
            }
        }
        StepStats stats = step.applyGradients(params, total, scope);
        Map<String, Double> row = new LinkedHashMap<>();
        row.put("loss", (double) total);
        row.put("rec", (double) terms.recValue());
        row.put("kl", (double) terms.klValue());
        row.put("grad_norm", (double) stats.gradNorm());
        row.put("lr", stats.lr());
        row.put("skipped", (double) stats.skippedTotal());
        if (config.loss().hasLogvar()) {
            row.put("logvar", (double) loss.getParameters().get(0).getValue().getArray().getFloat());
        }
        if (disc != null) {
            row.put("g_loss", (double) gLoss);
            row.put("d_weight", dWeight);
            row.put("d_loss", gan ? (double) discriminatorStep(ps, x, reconstruction, scope) : Double.NaN);
        }
        return row;
    }

    /** One hinge-loss step of the discriminator on real images and detached reconstructions. */
    private float discriminatorStep(ParameterStore ps, NDArray x, NDArray reconstruction, NDManager scope) {
        PairList<String, Parameter> dParams = disc.getParameters();
        Gradients.zero(Gradients.collect(dParams, scope)); // ∇g reached D in the generator's backward
        float dLoss;
        try (GradientCollector gc = EngineSetup.engine().newGradientCollector()) {
            NDArray real = disc.logits(ps, x, true);
            NDArray fake = disc.logits(ps, reconstruction.stopGradient(), true);
            NDArray l = HingeLoss.discriminator(real, fake);
            beforeBackward.run();
            gc.backward(l);
            dLoss = l.getFloat();
        }
        discStep.applyGradients(dParams, dLoss, scope);
        return dLoss;
    }

    /**
     * Runs {@code hook} after every forward pass, just before its backward. Tests put a GC there:
     * anything autograd saved must survive it (docs/djl-rules.md, rule 2).
     */
    public void beforeBackward(Runnable hook) {
        this.beforeBackward = Objects.requireNonNull(hook, "hook");
    }

    /** The autoencoder. */
    public AutoencoderKL model() {
        return model;
    }

    /** The loss (holding the NLL log-variance, if any). */
    public AutoencoderLoss loss() {
        return loss;
    }

    /** Every trained parameter: the model's, then {@value #LOGVAR_KEY} for NLL. */
    public PairList<String, Parameter> params() {
        return params;
    }

    /** The autoencoder's optimiser step (AdamW, schedule, clip, guard, EMA). */
    public TrainStep trainStep() {
        return step;
    }

    /** The discriminator, or null when there is none. */
    public PatchDiscriminator discriminator() {
        return disc;
    }

    /** The discriminator's optimiser step, or null when there is none. */
    public TrainStep discriminatorStep() {
        return discStep;
    }

    /** Frees the loss's parameter (the rest closes with the root manager). */
    public void close() {
        loss.close();
    }
}
