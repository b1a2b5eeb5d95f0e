package ldm4j.cli;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import ldm4j.cli.options.EngineOptions;
import ldm4j.cli.options.Verbosity;
import ldm4j.core.train.GivenKeys;
import ldm4j.diffusion.objective.LossWeighting;
import ldm4j.diffusion.objective.Prediction;
import ldm4j.diffusion.schedule.BetaSchedule;
import ldm4j.pipeline.stage.DiffusionStage;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ldm4j train-ldm}: trains the stage-2 UNet on latents or pixels. */
@Command(
        name = "train-ldm",
        mixinStandardHelpOptions = true,
        description = {
            "Train the diffusion UNet on latents (--latents, written by `ldm4j encode`) or on pixels (--data).",
            "Values come from the defaults, then --config, then the flags below. Writes DIR/checkpoint/, "
                    + "DIR/train-log.csv and DIR/samples-stepN.png."
        })
public final class TrainLdmCommand implements Callable<Integer> {
    @Mixin
    Verbosity verbosity;

    @Mixin
    EngineOptions engine;

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true)
    Source source;

    /** Where x_0 comes from. */
    static final class Source {
        @Option(names = "--latents", paramLabel = "DIR", description = "A latent directory written by `ldm4j encode`.")
        Path latents;

        @Option(names = "--data", paramLabel = "NAME|SPEC",
                description = "A dataset (see `ldm4j data --help`): pixel-space diffusion on images in [-1, 1].")
        String data;
    }

    @Option(names = "--out", paramLabel = "DIR", description = "Run directory (required, except with --resume: "
            + "then the resumed run's directory).")
    Path out;

    @Option(names = "--config", paramLabel = "FILE.yaml", description = "A YAML config, e.g. configs/ldm-fashion-quick.yaml "
            + "(default: built-in defaults).")
    Path config;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run (or checkpoint) in DIR exactly "
            + "where it stopped; --config and the flags must match its config, only --steps may change.")
    Path resume;

    @Option(names = "--schedule", paramLabel = "linear|scaled-linear|cosine", description = "Beta schedule (default: linear).")
    BetaSchedule schedule;

    @Option(names = "--prediction", paramLabel = "eps|v", description = "What the UNet predicts (default: eps).")
    Prediction prediction;

    @Option(names = "--weighting", paramLabel = "uniform|min-snr", description = "Loss weighting (default: uniform).")
    LossWeighting weighting;

    @Option(names = "--steps", paramLabel = "N", description = "Total optimizer steps (default: 10000).")
    Long steps;

    @Option(names = "--batch-size", paramLabel = "B", description = "Images per step (default: 64).")
    Integer batchSize;

    @Option(names = "--lr", paramLabel = "X", description = "Peak AdamW learning rate (default: 1e-4).")
    Double lr;

    @Option(names = "--model-channels", paramLabel = "C", description = "UNet width of the first level (default: 64).")
    Integer modelChannels;

    @Option(names = "--channel-mult", paramLabel = "M,M,...", split = ",",
            description = "Width multiplier per level (default: 1,2).")
    List<Integer> channelMult;

    @Option(names = "--attention", paramLabel = "F,...", split = ",",
            description = "Downsample factors with self-attention (default: 2).")
    List<Integer> attention;

    @Option(names = "--class-conditional", description = "Condition on class labels, dropped with p = 0.1 for "
            + "classifier-free guidance (default: unconditional).")
    Boolean classConditional;

    @Option(names = "--sample-every", paramLabel = "N", description = "A sample grid every N steps, 0 = at the end "
            + "(default: 1000).")
    Integer sampleEvery;

    @Option(names = "--checkpoint-every", paramLabel = "N", description = "A checkpoint every N steps, 0 = at the end "
            + "(default: 1000).")
    Integer checkpointEvery;

    @Override
    public Integer call() throws Exception {
        DiffusionStage.Source from = source == null ? null : source.latents != null
                ? new DiffusionStage.Latents(source.latents) : new DiffusionStage.Pixels(source.data, null);
        DiffusionStage.Request request = DiffusionStage.Request.of(from, out, resume);
        Device device = engine.start();
        DiffusionStage.Output trained = DiffusionStage.train(request, given(), device);
        spec.commandLine().getOut().printf("trained %d steps (loss %.4f); checkpoint in %s%n",
                trained.steps(), trained.result().get("loss"), trained.checkpoint());
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** The config file's keys and the flags that were given; seed only when --seed was on the command line. */
    private GivenKeys given() {
        GivenKeys g = GivenKeys.file(config)
                .flag("--schedule", "schedule", schedule)
                .flag("--prediction", "prediction", prediction)
                .flag("--weighting", "weighting", weighting)
                .flag("--steps", "steps", steps)
                .flag("--batch-size", "batch_size", batchSize)
                .flag("--lr", "lr", lr)
                .flag("--class-conditional", "class_conditional", classConditional)
                .flag("--sample-every", "sample_every", sampleEvery)
                .flag("--checkpoint-every", "checkpoint_every", checkpointEvery)
                .flag("--model-channels", "model.model_channels", modelChannels)
                .flag("--channel-mult", "model.channel_mult", channelMult)
                .flag("--attention", "model.attention_resolutions", attention);
        if (spec.commandLine().getParseResult().hasMatchedOption("--seed")) {
            g.flag("--seed", "seed", engine.seed());
        }
        return g;
    }
}
