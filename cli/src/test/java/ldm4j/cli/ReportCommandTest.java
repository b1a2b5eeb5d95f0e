package ldm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
    @TempDir
    Path dir;

    @Test
    void aDirectoryWithoutASummaryGetsOneLineAndANonZeroExit() {
        CliTestSupport.Result r = CliTestSupport.run("report", dir.toString());
        assertEquals(2, r.exitCode(), "bad input");
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains("summary.json") && err.contains("no run summary"), err);
        assertFalse(err.contains("Exception"), err);
    }
}
