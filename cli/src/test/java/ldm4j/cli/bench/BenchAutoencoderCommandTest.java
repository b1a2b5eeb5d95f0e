package ldm4j.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import ldm4j.cli.Ldm4j;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code bench autoencoder} parses and describes its options; running it is a benchmark, not a test
 * (see README "Benchmarks").
 */
class BenchAutoencoderCommandTest {
    @Test
    void everyOptionIsDescribedAndHelpWorks() {
        CommandLine cli = new CommandLine(new BenchAutoencoderCommand());
        for (OptionSpec o : cli.getCommandSpec().options()) {
            assertFalse(String.join("", o.description()).isBlank(), o.longestName() + " has no description");
        }
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        assertEquals(0, cli.execute("--help"));
        assertTrue(out.toString().contains("--rss-second") && out.toString().contains("--quick"), out.toString());
    }

    @Test
    void inconsistentStepCountsAreExitTwo() {
        CommandLine cli = Ldm4j.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        assertEquals(2, cli.execute("bench", "autoencoder", "--rss-first", "50", "--rss-second", "40"));
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
    }
}
