package ldm4j.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import ldm4j.core.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** What a user set, kept apart from the defaults: short runs fit their warm-up, resumes match the checkpoint. */
class GivenKeysTest {
    @TempDir
    Path dir;

    private static final Path CHECKPOINT = Path.of("run", "checkpoint");

    /** A trainer config in miniature: the three schedule keys every trainer spells the same way, and two more. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Toy(long steps, long warmup, String lrDecay, double beta, Model model) {
        Toy {
            if (!LrSchedule.fits(LrSchedule.decayOf(lrDecay), warmup, steps)) {
                throw new IllegalArgumentException("steps (" + steps + ") must exceed warmup (" + warmup + ")");
            }
        }

        @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
        record Model(int ch, List<Integer> chMult) {}
    }

    private static final Toy DEFAULTS = new Toy(1000, 100, "cosine", 1e-6, new Toy.Model(16, List.of(1, 2)));

    private static Toy resolve(GivenKeys given) {
        return given.resolve(DEFAULTS, Toy.class, t -> t);
    }

    @Test
    void warmupThatLeavesNoStepForTheDecayIsShortenedToATenthWithOneLine() {
        Logged<Toy> r = logged(() -> resolve(GivenKeys.none().flag("--steps", "steps", 80L)));
        assertEquals(8, r.value().warmup());
        assertEquals(80, r.value().steps());
        assertEquals(1, r.lines().size(), r.lines().toString());
        String line = r.lines().get(0);
        assertTrue(line.contains("100") && line.contains("(default)") && line.contains("to 8")
                && line.contains("80 (--steps)"), line);

        assertEquals(0, resolve(GivenKeys.none().flag("--steps", "steps", 2L)).warmup(), "below 10 steps: none");
        assertEquals(0, resolve(GivenKeys.none().flag("--steps", "steps", 1L)).warmup());
    }

    @Test
    void aWarmupThatFitsIsKeptAndSaysNothing() {
        Logged<Toy> r = logged(() -> resolve(GivenKeys.none().flag("--steps", "steps", 101L)));
        assertEquals(100, r.value().warmup());
        assertEquals(List.of(), r.lines());
    }

    @Test
    void aConstantRateKeepsALongerWarmup() {
        Logged<Toy> r = logged(() -> resolve(GivenKeys.none().flag("--steps", "steps", 2L)
                .flag("--lr-decay", "lr_decay", "constant")));
        assertEquals(100, r.value().warmup(), "a constant rate never needs steps after the warm-up");
        assertEquals(List.of(), r.lines());
    }

    @Test
    void aWarmupFromTheFileIsShortenedAndTheLineNamesTheFile() throws IOException {
        Path yaml = Files.writeString(dir.resolve("preset.yaml"), "warmup: 200\nsteps: 1300\n");
        Logged<Toy> r = logged(() -> resolve(GivenKeys.file(yaml).flag("--steps", "steps", 20L)));
        assertEquals(2, r.value().warmup());
        assertEquals(1, r.lines().size(), r.lines().toString());
        assertTrue(r.lines().get(0).contains("(" + yaml + ")"), r.lines().get(0));
    }

    @Test
    void bothFlagsWrittenOutAreRefusedNamingBoth() {
        InputException e = assertThrows(InputException.class, () -> resolve(GivenKeys.none()
                .flag("--warmup", "warmup", 100L).flag("--steps", "steps", 80L)));
        assertTrue(e.getMessage().contains("--warmup 100") && e.getMessage().contains("--steps 80"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void aSecondLookIsQuiet() {
        Logged<Toy> r = logged(() -> resolve(GivenKeys.none().flag("--steps", "steps", 2L).quiet()));
        assertEquals(0, r.value().warmup());
        assertEquals(List.of(), r.lines());
    }

    @Test
    void resumingWithTheSameKeysContinuesAndStepsMayGrow() throws IOException {
        Path yaml = Files.writeString(dir.resolve("run.yaml"), "model: {ch: 8}\nbeta: 0.5\n");
        Toy saved = resolve(GivenKeys.file(yaml).flag("--steps", "steps", 200L));
        Toy continued = GivenKeys.file(yaml).flag("--steps", "steps", 500L).flag("--beta", "beta", 0.5)
                .resume(saved, GivenKeysTest::resolve, CHECKPOINT);
        assertEquals(new Toy(500, 100, "cosine", 0.5, new Toy.Model(8, List.of(1, 2))), continued);
        assertEquals(saved, GivenKeys.file(yaml).resume(saved, GivenKeysTest::resolve, CHECKPOINT),
                "no steps given: the checkpoint's own");
    }

    @Test
    void aShortenedWarmupIsKeptWhenTheSameCommandResumesToMoreSteps() {
        Toy saved = resolve(GivenKeys.none().flag("--steps", "steps", 2L));
        assertEquals(0, saved.warmup());
        // The default warm-up (100) fits 500 steps, but the run was trained with 0: it keeps its schedule.
        Logged<Toy> r = logged(() -> GivenKeys.none().flag("--steps", "steps", 500L)
                .resume(saved, GivenKeysTest::resolve, CHECKPOINT));
        assertEquals(0, r.value().warmup());
        assertEquals(500, r.value().steps());
        assertEquals(List.of(), r.lines(), "the shortening was reported when the run started");
    }

    @Test
    void aFlagThatContradictsTheCheckpointIsRefusedNamingFlagAndBothValues() {
        Toy saved = resolve(GivenKeys.none());
        InputException e = assertThrows(InputException.class, () -> GivenKeys.none().flag("--beta", "beta", 0.5)
                .flag("--steps", "steps", 2000L).resume(saved, GivenKeysTest::resolve, CHECKPOINT));
        assertEquals("--beta gives beta = 0.5, but the checkpoint " + CHECKPOINT + " has beta = 1.0E-6; a resumed"
                + " run keeps its config (only --steps may change)", e.getMessage());
        InputException list = assertThrows(InputException.class, () -> GivenKeys.none()
                .flag("--ch-mult", "model.ch_mult", List.of(1, 2, 2)).resume(saved, GivenKeysTest::resolve, CHECKPOINT));
        assertTrue(list.getMessage().startsWith("--ch-mult gives model.ch_mult = [1,2,2], but the checkpoint "),
                list.getMessage());
        assertTrue(list.getMessage().contains("has model.ch_mult = [1,2]"), list.getMessage());
    }

    @Test
    void aFileKeyThatContradictsTheCheckpointIsRefusedNamingTheFile() throws IOException {
        Toy saved = resolve(GivenKeys.none());
        Path yaml = Files.writeString(dir.resolve("other.yaml"), "model:\n  ch: 32\n");
        InputException e = assertThrows(InputException.class,
                () -> GivenKeys.file(yaml).resume(saved, GivenKeysTest::resolve, CHECKPOINT));
        assertTrue(e.getMessage().startsWith(yaml + " gives model.ch = 32, but the checkpoint " + CHECKPOINT
                + " has model.ch = 16"), e.getMessage());
    }

    @Test
    void resumingToFewerStepsThanTheCheckpointsWarmupIsRefused() {
        Toy saved = resolve(GivenKeys.none());
        InputException e = assertThrows(InputException.class, () -> GivenKeys.none().flag("--steps", "steps", 80L)
                .resume(saved, GivenKeysTest::resolve, CHECKPOINT));
        assertTrue(e.getMessage().contains("--steps 80") && e.getMessage().contains("warm-up of 100 steps")
                && e.getMessage().contains(CHECKPOINT.toString()), e.getMessage());
    }

    @Test
    void requireSameNamesTheFirstKeyThatDiffers() {
        Toy saved = resolve(GivenKeys.none());
        GivenKeys.requireSame(saved, resolve(GivenKeys.none().flag("steps", "steps", 4000L)), CHECKPOINT);
        InputException e = assertThrows(InputException.class, () -> GivenKeys.requireSame(saved,
                resolve(GivenKeys.none().flag("--ch", "model.ch", 8)), CHECKPOINT));
        assertTrue(e.getMessage().contains("model.ch = 16") && e.getMessage().contains("model.ch = 8"),
                e.getMessage());
    }

    private record Logged<T>(T value, List<String> lines) {}

    /** What WarmupFit logs while {@code body} runs. */
    private static <T> Logged<T> logged(Supplier<T> body) {
        Logger logger = (Logger) LoggerFactory.getLogger(WarmupFit.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            T value = body.get();
            return new Logged<>(value, lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
        } finally {
            logger.detachAppender(lines);
        }
    }
}
