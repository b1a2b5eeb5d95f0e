package ldm4j.core.train;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import ldm4j.core.bench.NativeHeap;
import ldm4j.core.progress.Progress;
import ldm4j.core.progress.ProgressMeter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop every ldm4j trainer shares: one NDManager scope per step, a progress bar with the step's
 * statistics, CSV rows every {@code logEvery} steps, evaluation and checkpoints on their own
 * cadence and once more at the end. After an evaluation or a checkpoint, the C heap's free pages go
 * back to the kernel ({@link NativeHeap}).
 *
 * <p>What a step does (forward, backward, {@link TrainStep#applyGradients}) belongs to the
 * {@link Task}; the loop owns only the order of things, so resuming at step k replays exactly what
 * an uninterrupted run does from k on.
 */
public final class TrainingLoop {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);

    private TrainingLoop() {}

    /** One kind of training: a step, an evaluation and a checkpoint. */
    public interface Task {
        /**
         * Runs training step {@code step} (0-based) with every temporary on {@code scope}, which closes
         * right after. Returns the values to log, e.g. loss, lr, grad_norm (plain numbers only).
         */
        Map<String, Double> step(long step, NDManager scope);

        /** Evaluates after {@code stepsDone} steps; the values go to the log and the progress line. */
        default Map<String, Double> evaluate(long stepsDone) throws IOException {
            return Map.of();
        }

        /** Saves everything needed to resume after {@code stepsDone} steps (atomically). */
        void checkpoint(long stepsDone) throws IOException;
    }

    /**
     * When things happen.
     *
     * @param totalSteps steps of the whole run
     * @param logEvery a CSV row every this many steps
     * @param evalEvery evaluation every this many steps (0: only at the end)
     * @param checkpointEvery checkpoint every this many steps (0: only at the end)
     */
    public record Cadence(long totalSteps, long logEvery, long evalEvery, long checkpointEvery) {
        public Cadence {
            if (totalSteps <= 0) {
                throw new IllegalArgumentException("totalSteps must be > 0, got " + totalSteps);
            }
            if (logEvery <= 0) {
                throw new IllegalArgumentException("logEvery must be > 0, got " + logEvery);
            }
            if (evalEvery < 0 || checkpointEvery < 0) {
                throw new IllegalArgumentException("evalEvery and checkpointEvery must be >= 0");
            }
        }

        static boolean due(long every, long done) {
            return every > 0 && done % every == 0;
        }
    }

    /**
     * Runs steps {@code startStep .. totalSteps-1}, then a final evaluation and checkpoint.
     *
     * @param name what the progress bar is called, e.g. "train-ae"
     * @param root the manager that holds parameters and optimizer state; each step gets a sub-manager
     * @param log rows of step statistics and evaluations
     * @return the last evaluation
     */
    public static Map<String, Double> run(String name, NDManager root, Task task, Cadence cadence, long startStep,
            TrainLog log) throws IOException {
        Map<String, Double> evaluation = Map.of();
        try (Progress bar = Progress.start(name, cadence.totalSteps(), startStep)) {
            for (long step = startStep; step < cadence.totalSteps(); step++) {
                Map<String, Double> stats;
                try (NDManager scope = root.newSubManager()) {
                    stats = task.step(step, scope);
                }
                long done = step + 1;
                Map<String, Double> row = new LinkedHashMap<>(stats);
                boolean last = done == cadence.totalSteps();
                boolean evaluated = last || Cadence.due(cadence.evalEvery(), done);
                if (evaluated) {
                    evaluation = task.evaluate(done);
                    row.putAll(evaluation);
                    if (!evaluation.isEmpty()) {
                        LOG.info("{} step {}: {}", name, done, ProgressMeter.formatStats(evaluation));
                    }
                }
                if (last || Cadence.due(cadence.logEvery(), done) || row.size() > stats.size()) {
                    log.row(done, row);
                }
                bar.update(done, stats);
                boolean checkpointed = last || Cadence.due(cadence.checkpointEvery(), done);
                if (checkpointed) {
                    task.checkpoint(done);
                }
                if (evaluated || checkpointed) {
                    // Evaluations and checkpoints run larger one-off passes than a step; give back what
                    // they freed, or it stays resident for the rest of the process.
                    NativeHeap.trim();
                }
            }
        }
        return evaluation;
    }
}
