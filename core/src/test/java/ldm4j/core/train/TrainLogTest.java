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
}
