package ldm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareCommandTest {
    @TempDir
    Path dir;

    @Test
    void aFolderThatIsNoRunGetsOneLine() {
        CliTestSupport.Result r = CliTestSupport.run("compare", "--run", dir.toString(), "--vae", dir.toString());
        assertEquals(2, r.exitCode(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("not a run directory (no config.yaml)"), r.err());
    }

    @Test
    void tooFewSamplesAreRefusedBeforeAnyWork() {
        CliTestSupport.Result r = CliTestSupport.run("compare", "--run", dir.toString(), "--vae", dir.toString(),
                "--n", "1");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("--n 1: FD needs at least 2 samples"), r.err());
    }
}
