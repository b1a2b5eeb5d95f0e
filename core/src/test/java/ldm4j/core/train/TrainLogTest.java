package ldm4j.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import ldm4j.core.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainLogTest {
    @TempDir
    Path dir;

    /** A folder where the log should be gets one line naming the path, not the OS's bare "Is a directory". */
    @Test
    void aDirectoryInPlaceOfTheLogIsNamed() throws Exception {
        Path log = Files.createDirectory(dir.resolve("train-log.csv"));
        for (long resume : new long[] {0, 5}) {
            InputException e = assertThrows(InputException.class, () -> TrainLog.open(log, List.of("loss"), resume));
            assertEquals(log + ": is a directory, expected the run's CSV training log (a regular file)", e.getMessage());
        }
    }

    /** A run resumed by a newer version, whose log has gained columns at the end, keeps its rows. */
    @Test
    void anOlderLogWithoutTheNewColumnsIsResumedWithThemLeftEmpty() throws Exception {
        Path log = dir.resolve("train-log.csv");
        Files.writeString(log, "step,loss\n10,0.5\n20,0.25\n30,0.125\n");
        try (TrainLog t = TrainLog.open(log, List.of("loss", "beta_eff"), 20)) {
            t.row(30, java.util.Map.of("loss", 0.1, "beta_eff", 2.0));
        }
        assertEquals(List.of("step,loss,beta_eff", "10,0.5,", "20,0.25,", "30,0.100000,2.00000"),
                Files.readAllLines(log));
    }

    @Test
    void aLogWithOtherColumnsIsRefused() throws Exception {
        Path log = dir.resolve("train-log.csv");
        Files.writeString(log, "step,kl,loss\n10,1,0.5\n");
        InputException e = assertThrows(InputException.class, () -> TrainLog.open(log, List.of("loss", "kl"), 10));
        assertEquals(true, e.getMessage().contains("log columns differ"), e.getMessage());
        Files.writeString(log, "step,loss,kl,extra\n10,1,0.5,3\n");
        assertThrows(InputException.class, () -> TrainLog.open(log, List.of("loss", "kl"), 10));
    }
}
