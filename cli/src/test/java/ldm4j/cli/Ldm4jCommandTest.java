package ldm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

class Ldm4jCommandTest {
    @Test
    void helpListsEverySubcommand() {
        CliTestSupport.Result r = CliTestSupport.run("--help");
        assertEquals(0, r.exitCode());
        for (String name : Ldm4j.commandLine().getSubcommands().keySet()) {
            assertTrue(r.out().contains(name), "--help does not list " + name + ":\n" + r.out());
        }
    }

    @Test
    void versionNamesLdm4jAndEngine() {
        CliTestSupport.Result r = CliTestSupport.run("--version");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("ldm4j") && r.out().contains("DJL") && r.out().contains("PyTorch"), r.out());
    }

    @Test
    void unknownOptionIsOneLineAndExitCodeTwo() {
        CliTestSupport.Result r = CliTestSupport.run("--no-such-flag");
        assertEquals(2, r.exitCode());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("--no-such-flag"), r.err());
    }

    @Test
    void verboseBeforeTheSubcommandShowsTheStackTraceAndWithoutItOneLine() {
        CliTestSupport.Result quiet = CliTestSupport.run("data", "info", "idx:/no/such/file");
        assertEquals(2, quiet.exitCode());
        assertEquals(1, quiet.err().strip().lines().count(), quiet.err());
        CliTestSupport.Result verbose = CliTestSupport.run("--verbose", "data", "info", "idx:/no/such/file");
        assertEquals(2, verbose.exitCode());
        assertTrue(verbose.err().contains("\tat "), "no stack trace with --verbose:\n" + verbose.err());
    }

    @Test
    void everyOptionOfEveryCommandHasADescription() {
        assertDescribed(Ldm4j.commandLine());
    }

    private static void assertDescribed(CommandLine cli) {
        CommandSpec spec = cli.getCommandSpec();
        for (OptionSpec o : spec.options()) {
            assertFalse(String.join("", o.description()).isBlank(),
                    spec.qualifiedName() + " " + o.longestName() + " has no description");
        }
        assertFalse(String.join("", spec.usageMessage().description()).isBlank(),
                spec.qualifiedName() + " has no description");
        // picocli formats descriptions: a lone % ("95% intervals") breaks --help with a warning.
        List<String> texts = new java.util.ArrayList<>(List.of(spec.usageMessage().description()));
        spec.options().forEach(o -> texts.addAll(List.of(o.description())));
        for (String text : texts) {
            assertFalse(java.util.regex.Pattern.compile("%(?![%n])").matcher(text.replace("%%", "")).find(),
                    spec.qualifiedName() + ": unescaped % in \"" + text + "\"");
        }
        cli.getSubcommands().values().forEach(Ldm4jCommandTest::assertDescribed);
    }
}
