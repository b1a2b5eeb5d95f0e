package ldm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import ldm4j.autoencoder.latent.LatentMode;
import ldm4j.autoencoder.loss.ReconstructionLoss;
import ldm4j.core.io.ConfigEnum;
import ldm4j.diffusion.objective.LossWeighting;
import ldm4j.diffusion.sampler.Sampler;
import ldm4j.diffusion.sampler.TimestepSpacing;
import ldm4j.diffusion.schedule.BetaSchedule;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Flags that take a choice spell it as the configs do, and --help shows the names and the default. */
class ChoiceFlagsTest {
    /** Every option of every (sub)command whose value is a {@link ConfigEnum}. */
    private static List<OptionSpec> choiceOptions(CommandSpec spec, List<OptionSpec> into) {
        for (OptionSpec o : spec.options()) {
            if (ConfigEnum.class.isAssignableFrom(o.type())) {
                into.add(o);
            }
        }
        spec.subcommands().values().forEach(sub -> choiceOptions(sub.getCommandSpec(), into));
        return into;
    }

    @Test
    void everyChoiceFlagShowsItsNamesAndItsDefault() {
        List<OptionSpec> options = choiceOptions(Ldm4j.commandLine().getCommandSpec(), new ArrayList<>());
        List<String> names = options.stream().map(o -> o.command().name() + " " + o.longestName()).toList();
        assertTrue(names.containsAll(List.of("train-ae --loss", "encode --mode", "train-ldm --schedule",
                "train-ldm --prediction", "train-ldm --weighting", "sample --sampler", "sample --spacing")), names.toString());
        for (OptionSpec o : options) {
            String what = o.command().name() + " " + o.longestName();
            assertEquals(ConfigEnum.ids(o.type()).replace(", ", "|"), o.paramLabel(), what);
            String help = String.join(" ", o.description());
            assertTrue(help.contains("(default: "), what + ": " + help);
        }
    }

    @Test
    void helpShowsTheNamesAndTheDefault() {
        CliTestSupport.Result r = CliTestSupport.run("sample", "--help");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("--sampler=ddpm|ddim|dpm++2m") && r.out().contains("(default: ddim)"), r.out());
        assertTrue(r.out().contains("--spacing=uniform|trailing") && r.out().contains("(default: uniform)"), r.out());
    }

    @Test
    void flagsReadTheYamlNamesInAnyCase() {
        CommandLine cli = Ldm4j.commandLine();
        CommandLine.ParseResult p = cli.parseArgs("train-ldm", "--latents", "x", "--out", "y", "--schedule",
                "Scaled-Linear", "--weighting", "min-snr");
        TrainLdmCommand ldm = p.subcommand().commandSpec().commandLine().getCommand();
        assertSame(BetaSchedule.SCALED_LINEAR, ldm.schedule);
        assertSame(LossWeighting.MIN_SNR, ldm.weighting);
        cli = Ldm4j.commandLine();
        p = cli.parseArgs("sample", "--run", "r", "--out", "o", "--sampler", "dpm++2m", "--spacing", "leading");
        SampleCommand sample = p.subcommand().commandSpec().commandLine().getCommand();
        assertSame(Sampler.DPMPP_2M, sample.sampler);
        assertSame(TimestepSpacing.LEADING, sample.spacing);
        cli = Ldm4j.commandLine();
        p = cli.parseArgs("train-ae", "--data", "d", "--out", "o", "--loss", "NLL");
        assertSame(ReconstructionLoss.NLL, ((TrainAeCommand) p.subcommand().commandSpec().commandLine().getCommand()).loss);
        cli = Ldm4j.commandLine();
        p = cli.parseArgs("encode", "--ae", "a", "--data", "d", "--out", "o");
        assertSame(LatentMode.MEAN, ((EncodeCommand) p.subcommand().commandSpec().commandLine().getCommand()).mode);
    }

    @Test
    void anUnknownNameIsOneLineNamingTheFlagAndTheNames() {
        CliTestSupport.Result r = CliTestSupport.run("sample", "--run", "r", "--out", "o", "--sampler", "euler");
        assertEquals(2, r.exitCode(), r.err());
        assertEquals("ldm4j: Invalid value for option '--sampler': expected one of ddpm, ddim, dpm++2m, got 'euler'"
                + " (see 'ldm4j sample --help')", r.err().strip());
        CliTestSupport.Result loss = CliTestSupport.run("train-ae", "--data", "d", "--out", "o", "--loss", "l3");
        assertEquals(2, loss.exitCode(), loss.err());
        assertEquals("ldm4j: Invalid value for option '--loss': expected one of l1, l2, nll, got 'l3'"
                + " (see 'ldm4j train-ae --help')", loss.err().strip());
        assertFalse(loss.err().contains("L1"), loss.err());
    }
}
