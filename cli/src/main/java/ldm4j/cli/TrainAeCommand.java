package ldm4j.cli;

import ai.djl.Device;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import ldm4j.autoencoder.AutoencoderConfig;
import ldm4j.autoencoder.LatentKind;
import ldm4j.autoencoder.loss.ReconstructionLoss;
import ldm4j.autoencoder.train.AutoencoderMetrics;
import ldm4j.autoencoder.train.AutoencoderTrainer;
import ldm4j.cli.options.EngineOptions;
import ldm4j.cli.options.Verbosity;
import ldm4j.core.train.GivenKeys;
import ldm4j.pipeline.stage.AutoencoderStage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ldm4j train-ae}: trains the stage-1 KL autoencoder. */
@Command(
        name = "train-ae",
        mixinStandardHelpOptions = true,
        description = {
            "Train the KL autoencoder (stage 1): rec + beta*KL per image, optional PatchGAN.",
            "Values come from the defaults, then --config, then the flags below. With --resume the run keeps the"
                    + " checkpoint's config: flags and --config keys must match it; only --steps may change.",
            "Writes DIR/checkpoint/, train-log.csv, metrics.json, reconstructions.png and config.yaml."
        })
public final class TrainAeCommand implements Callable<Integer> {
    @Mixin
    Verbosity verbosity;

    @Mixin
    EngineOptions engine;

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "NAME|SPEC",
            description = "Dataset name (fashion-mnist, mnist, emoji) or spec (idx:, cifar10:, folder:) (required).")
    String data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (required).")
    Path out;

    @Option(names = "--config", paramLabel = "FILE.yaml",
            description = "YAML config whose keys are the training config's fields in snake_case, e.g."
                    + " batch_size, model.ch_mult (default: none).")
    Path config;

    @Option(names = "--beta", paramLabel = "B", description = "KL weight beta (default: 1e-6).")
    Double beta;

    @Option(names = "--loss", paramLabel = "l1|l2|nll", description = "Reconstruction loss (default: l1).")
    ReconstructionLoss loss;

    @Option(names = "--sigma", paramLabel = "S",
            description = "Fixed decoder standard deviation of the l2 loss, in the model's [-1, 1] pixel units: the"
                    + " loss is |x - x'|^2/(2 S^2) + beta*KL, so beta = 1 is the textbook VAE (default: 1/sqrt(2),"
                    + " the plain sum of squared errors).")
    Double sigma;

    @Option(names = "--latent", paramLabel = "conv|dense",
            description = "A spatial latent map (conv, LDM's compressor) or a vector of --latent-dim Gaussians"
                    + " (dense, the classic VAE) (default: conv).")
    LatentKind latent;

    @Option(names = "--latent-dim", paramLabel = "D",
            description = "Size of a dense latent (default: " + AutoencoderConfig.DEFAULT_LATENT_DIM + ").")
    Integer latentDim;

    @Option(names = "--steps", paramLabel = "N", description = "Training steps in all (default: 2000).")
    Long steps;

    @Option(names = "--batch-size", paramLabel = "B", description = "Images per step (default: 32).")
    Integer batchSize;

    @Option(names = "--lr", paramLabel = "X", description = "Peak AdamW learning rate (default: 1e-3).")
    Double lr;

    @Option(names = "--warmup", paramLabel = "N", description = "Linear warm-up steps (default: 100).")
    Long warmup;

    @Option(names = "--ch", paramLabel = "C", description = "Base channels of the autoencoder (default: 32).")
    Integer ch;

    @Option(names = "--ch-mult", paramLabel = "M,M,...", split = ",",
            description = "Channel multiplier per level; f = 2^(levels-1) (default: 1,2,2).")
    List<Integer> chMult;

    @Option(names = "--num-res-blocks", paramLabel = "N", description = "ResBlocks per encoder level (default: 1).")
    Integer numResBlocks;

    @Option(names = "--z-channels", paramLabel = "Z", description = "Latent channels (default: 4).")
    Integer zChannels;

    @Option(names = "--ema", negatable = true,
            description = "Keep an EMA of the weights for evaluation and inference (default: off).")
    Boolean ema;

    @Option(names = "--disc-start", paramLabel = "N",
            description = "Switch the PatchGAN discriminator on from step N (default: no discriminator).")
    Long discStart;

    @Option(names = "--disc-weight", paramLabel = "W",
            description = "Factor on the GAN's adaptive weight (default: 0.5).")
    Double discWeight;

    @Option(names = "--eval-every", paramLabel = "N",
            description = "Steps between evaluations on the test split, 0 = only at the end (default: 500).")
    Long evalEvery;

    @Option(names = "--checkpoint-every", paramLabel = "N",
            description = "Steps between checkpoints, 0 = only at the end (default: 500).")
    Long checkpointEvery;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue from this checkpoint directory (e.g. OUT/checkpoint) (default: fresh run).")
    Path resume;

    @Override
    public Integer call() throws Exception {
        Device device = engine.start();
        AutoencoderTrainer.Result r = AutoencoderStage.trainCommand(data, given(), out, resume, device).result();
        AutoencoderMetrics m = r.metrics();
        PrintWriter o = spec.commandLine().getOut();
        o.printf("test (%d images): PSNR %.2f dB, SSIM %.4f, rate %.1f bits/image (%.3f bits/element), "
                + "active units %d (%.1f%%)%n", m.images(), m.psnr(), m.ssim(), m.rateBitsPerImage(),
                m.rateBitsPerElement(), m.activeUnits(), 100 * m.activeFraction());
        o.printf("beta %s (effective %.4g relative to the %s), negative ELBO %.4f bits/dim%n", m.beta(),
                m.betaEffective(), m.betaRelativeTo(), m.negElboBitsPerDim());
        o.printf("scale factor %.5f, %d skipped steps, %.1f img/s training%n", r.scaleFactor(), r.skippedSteps(),
                r.imagesPerSecond());
        o.printf("wrote %s%n", out);
        o.flush();
        return 0;
    }

    /** The config file's keys and the flags that were given, by config key; picocli leaves the others null. */
    private GivenKeys given() {
        GivenKeys g = GivenKeys.file(config)
                .flag("--beta", "beta", beta)
                .flag("--loss", "loss", loss)
                .flag("--sigma", "sigma", sigma)
                .flag("--latent", "model.latent", latent)
                .flag("--latent-dim", "model.latent_dim", latentDim)
                .flag("--steps", "steps", steps)
                .flag("--batch-size", "batch_size", batchSize)
                .flag("--lr", "lr", lr)
                .flag("--warmup", "warmup", warmup)
                .flag("--ch", "model.ch", ch)
                .flag("--ch-mult", "model.ch_mult", chMult)
                .flag("--num-res-blocks", "model.num_res_blocks", numResBlocks)
                .flag("--z-channels", "model.z_channels", zChannels)
                .flag("--ema", "ema", ema)
                .flag("--disc-weight", "disc.weight", discWeight)
                .flag("--eval-every", "eval_every", evalEvery)
                .flag("--checkpoint-every", "checkpoint_every", checkpointEvery);
        if (discStart != null) {
            g.flag("--disc-start", "disc.enabled", true).flag("--disc-start", "disc.start", discStart);
        }
        if (spec.commandLine().getParseResult().hasMatchedOption("--seed")) {
            g.flag("--seed", "seed", engine.seed());
        }
        return g;
    }
}
