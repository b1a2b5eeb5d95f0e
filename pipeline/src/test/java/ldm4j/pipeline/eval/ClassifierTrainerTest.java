package ldm4j.pipeline.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import ldm4j.core.InputException;
import ldm4j.core.data.Dataset;
import ldm4j.core.io.Checkpoint;
import ldm4j.core.io.Checkpoints;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training the feature classifier on the synthetic squares: accuracy, log, checkpoint. */
class ClassifierTrainerTest {
    @TempDir
    static Path dir;

    static Dataset data;
    static ClassifierSummary summary;
    static long trainMillis;

    @BeforeAll
    static void train() throws IOException {
        data = TinySquares.open(dir, 140);
        long start = System.nanoTime();
        summary = ClassifierTrainer.train(data, TinySquares.model(), TinySquares.training(), Device.cpu(),
                dir.resolve("clf"));
        trainMillis = (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void tinyClassifierSeparatesSquarePositionsInAFewHundredSteps() {
        assertTrue(summary.testAccuracy() >= 0.95, "test accuracy " + summary.testAccuracy());
        assertEquals(100, summary.steps() + summary.skippedSteps());
        assertTrue(trainMillis < 60_000, "training took " + trainMillis + " ms");
    }

    @Test
    void checkpointRecordsConfigDataAndTestAccuracy() {
        Path ckpt = dir.resolve("clf").resolve(ClassifierTrainer.CHECKPOINT);
        assertTrue(Files.isRegularFile(Checkpoints.tensorFile(ckpt, Checkpoints.MODEL)));
        Checkpoint info = Checkpoints.readInfo(ckpt, ClassifierTrainer.KIND);
        assertEquals(summary.testAccuracy(), info.metrics().get(ClassifierSummary.TEST_ACCURACY));
        ClassifierRun run = info.config(ClassifierRun.class, ckpt);
        assertEquals(TinySquares.model(), run.model());
        assertEquals(TinySquares.training(), run.training());
        assertEquals(data.info().cacheHash(), run.data().cacheHash());
        assertEquals("1×16×16", run.data().shapeText());
        assertEquals(summary.steps(), info.step());
        assertEquals(summary, ClassifierSummary.read(dir.resolve("clf")));
    }

    @Test
    void trainLogHasLossRowsAndEndsWithTheTestAccuracy() throws IOException {
        List<String> rows = Files.readAllLines(dir.resolve("clf").resolve(ClassifierTrainer.LOG));
        assertEquals("step,loss,accuracy,lr,grad_norm,skipped,test_accuracy", rows.get(0));
        assertEquals(1 + 100 / 10, rows.size(), "a row every 10 steps");
        String[] last = rows.get(rows.size() - 1).split(",");
        assertEquals("100", last[0]);
        assertEquals(summary.testAccuracy(), Double.parseDouble(last[6]), 1e-5);
        double firstLoss = Double.parseDouble(rows.get(1).split(",")[1]);
        assertTrue(Double.parseDouble(last[1]) < firstLoss / 2, "loss did not fall: " + rows);
    }

    @Test
    void unlabelledDataIsRefusedNamingTheDataset(@TempDir Path other) throws IOException {
        Dataset unlabelled = TinySquares.store(other).open(TinySquares.spec(other, 10, false));
        InputException e = assertThrows(InputException.class, () -> ClassifierTrainer.train(unlabelled,
                TinySquares.model(), TinySquares.training(), Device.cpu(), other.resolve("clf")));
        assertTrue(e.getMessage().contains("no class labels"), e.getMessage());
        assertTrue(Files.notExists(other.resolve("clf")));
    }

    @Test
    void batchLargerThanTheTrainSplitIsAClearError() {
        ClassifierTrainingConfig huge = ClassifierTrainingConfig.of(10, 10_000, 1e-3, 0);
        InputException e = assertThrows(InputException.class,
                () -> ClassifierTrainer.train(data, TinySquares.model(), huge, Device.cpu(), dir.resolve("huge")));
        assertTrue(e.getMessage().contains("--batch-size"), e.getMessage());
    }
}
