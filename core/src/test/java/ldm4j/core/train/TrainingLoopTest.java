package ldm4j.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import ldm4j.core.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingLoopTest {
    @TempDir
    Path dir;

    /** Records what the loop asked for; the "loss" of step s is s itself. */
    static final class Recorder implements TrainingLoop.Task {
        final List<Long> steps = new ArrayList<>();
        final List<Long> evals = new ArrayList<>();
        final List<Long> checkpoints = new ArrayList<>();
        int arraysLeftInScope = -1;

        @Override
        public Map<String, Double> step(long step, NDManager scope) {
            scope.create(new float[] {step}); // must be freed with the scope
            steps.add(step);
            return Map.of("loss", (double) step);
        }

        @Override
        public Map<String, Double> evaluate(long done) {
            evals.add(done);
            return Map.of("psnr", 10.0 + done);
        }

        @Override
        public void checkpoint(long done) {
            checkpoints.add(done);
        }
    }

    @Test
    void cadenceDrivesLogEvaluationAndCheckpointsWithOneMoreAtTheEnd() throws IOException {
        Recorder task = new Recorder();
        Path csv = dir.resolve("train-log.csv");
        try (NDManager root = NDManager.newBaseManager();
                TrainLog log = TrainLog.open(csv, List.of("loss", "psnr"), 0)) {
            TrainingLoop.run("t", root, task, new TrainingLoop.Cadence(10, 4, 5, 3), 0, log);
            assertEquals(0, root.getManagedArrays().size(), "step scopes must close");
        }
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), task.steps);
        assertEquals(List.of(5L, 10L), task.evals);
        assertEquals(List.of(3L, 6L, 9L, 10L), task.checkpoints);
        List<String> rows = Files.readAllLines(csv);
        assertEquals("step,loss,psnr", rows.get(0));
        // rows at 4 and 8 (logEvery), 5 and 10 (evaluations)
        assertEquals(List.of("4,3.00000,", "5,4.00000,15.0000", "8,7.00000,", "10,9.00000,20.0000"),
                rows.subList(1, rows.size()));
    }

    @Test
    void resumingDropsRowsAfterTheCheckpointAndContinues() throws IOException {
        Path csv = dir.resolve("train-log.csv");
        try (NDManager root = NDManager.newBaseManager();
                TrainLog log = TrainLog.open(csv, List.of("loss", "psnr"), 0)) {
            TrainingLoop.run("t", root, new Recorder(), new TrainingLoop.Cadence(8, 1, 0, 0), 0, log);
        }
        Recorder resumed = new Recorder();
        try (NDManager root = NDManager.newBaseManager();
                TrainLog log = TrainLog.open(csv, List.of("loss", "psnr"), 5)) {
            TrainingLoop.run("t", root, resumed, new TrainingLoop.Cadence(8, 1, 0, 0), 5, log);
        }
        assertEquals(List.of(5L, 6L, 7L), resumed.steps);
        List<String> steps = Files.readAllLines(csv).stream().skip(1).map(r -> r.split(",")[0]).toList();
        assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "8"), steps);
    }

    @Test
    void resumingALogWithOtherColumnsIsAClearError() throws IOException {
        Path csv = dir.resolve("train-log.csv");
        TrainLog.open(csv, List.of("loss"), 0).close();
        InputException e = assertThrows(InputException.class, () -> TrainLog.open(csv, List.of("rec", "kl"), 3));
        assertTrue(e.getMessage().startsWith(csv.toString()), e.getMessage());
    }

    @Test
    void unknownColumnIsRejected() throws IOException {
        try (TrainLog log = TrainLog.open(dir.resolve("l.csv"), List.of("loss"), 0)) {
            assertThrows(IllegalArgumentException.class, () -> log.row(1, Map.of("lsos", 1.0)));
        }
    }
}
