package ldm4j.pipeline.experiment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ldm4j.core.bench.MemoryPeak;
import ldm4j.core.bench.NativeHeap;
import ldm4j.core.bench.ProcessMemory;
import ldm4j.core.data.Dataset;
import ldm4j.core.io.AtomicFiles;
import ldm4j.core.io.Json;
import ldm4j.pipeline.RunLayout;
import ldm4j.pipeline.report.Report;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one run directory's list of {@link StagePlan}s the way {@code ldm4j run} does: the data stage
 * first (open the data, make the plans, decide each stage from run-state.json), then every stage not
 * yet done, each timed, its peak memory kept and its fingerprint recorded, then the summary.
 *
 * <p>A stage that finished is skipped while its fingerprint is unchanged; a changed one runs again
 * with every stage that reads it, or continues its training ({@link RunPlan}). A driver of many runs
 * (an ablation) calls {@link #run} once per run directory, with the data it opened once.
 *
 * <p>What a list of plans may hold: any subset of the stage kinds in run order (diffusion on pixels,
 * f = 1, is the list without autoencoder and encode: its fingerprint records encode as off), and
 * several stages of one kind told apart by {@link StageKey} ids ({@code baseline}, {@code
 * baseline:dense}); a stage reads every planned stage of the kinds its kind reads. The summary and
 * then the report ({@link Report}, {@code report/index.html}) are the driver's last steps.
 */
public final class RunDriver {
    private static final Logger LOG = LoggerFactory.getLogger(RunDriver.class);

    /** Opens the run's dataset (or hands over one already open). */
    @FunctionalInterface
    public interface DataOpener {
        Dataset open() throws IOException;
    }

    /** Makes a run's stage plans once its dataset is open, in the order they run. */
    @FunctionalInterface
    public interface Planner {
        List<StagePlan> plan(Dataset data) throws IOException;
    }

    /**
     * What a run is called and where it lives.
     *
     * @param name the run's name, in the summary
     * @param dataSpec its dataset's name or spec, in the summary and the data stage's fingerprint
     * @param layout its directory
     */
    public record Run(String name, String dataSpec, RunLayout layout) {}

    private final Run run;
    private final RunState state;
    private RunPlan plan;

    private RunDriver(Run run, RunState state) {
        this.run = run;
        this.state = state;
    }

    /**
     * Runs every stage of {@code run} not yet done.
     *
     * @param force redo every stage: their outputs are deleted first and run-state.json is ignored
     * @param data opens the dataset: the data stage
     * @param planner makes the stage plans from the open dataset
     * @return the summary written
     */
    public static RunSummary run(Run run, boolean force, DataOpener data, Planner planner) throws IOException {
        RunLayout layout = run.layout();
        Files.createDirectories(layout.root());
        RunState state = force ? RunState.empty() : RunState.read(layout.state());
        return new RunDriver(run, state).runStages(force, data, planner);
    }

    private RunSummary runStages(boolean force, DataOpener data, Planner planner) throws IOException {
        List<StagePlan> plans = dataStage(force, data, planner);
        for (StagePlan p : plans) {
            timed(p, plan.step(p.key().id()));
        }
        RunSummary summary = RunSummary.collect(run.name(), run.dataSpec(), run.layout(), state);
        summary.write(run.layout());
        // Drawn again after every run: it reads only finished outputs, and takes seconds.
        Path report = Report.forRun(run.layout().root());
        LOG.info("run {} done: {}; open {} in a browser", run.name(), run.layout().summaryMarkdown(), report);
        return summary;
    }

    /**
     * The data stage, which runs every time: opens the dataset, makes the plans from it and decides
     * every stage from what changed since the last invocation.
     */
    private List<StagePlan> dataStage(boolean force, DataOpener data, Planner planner) throws IOException {
        LOG.info("[{}] ...", Stage.DATA.id());
        ProcessMemory.Window memory = ProcessMemory.startWindow();
        long start = System.nanoTime();
        Dataset dataset = data.open();
        List<StagePlan> plans = planner.plan(dataset);
        Map<StageKey, StageInput> inputs = new LinkedHashMap<>();
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("data", run.dataSpec());
        d.put("cache_hash", dataset.info().cacheHash());
        inputs.put(StageKey.of(Stage.DATA), StageInput.of(d));
        for (StagePlan p : plans) {
            if (inputs.keySet().stream().anyMatch(k -> k.id().equals(p.key().id()))) {
                throw new IllegalArgumentException("stage " + p.key().id() + " is planned twice");
            }
            inputs.put(p.key(), p.input());
        }
        if (force) {
            for (StagePlan p : plans) {
                for (Path out : p.outputs()) {
                    AtomicFiles.deleteRecursively(out);
                }
            }
        }
        plan = RunPlan.ofKeys(state, inputs);
        plan.changes().forEach(LOG::info);
        state.start(Stage.DATA, plan.step(Stage.DATA).fingerprint(), run.layout().state());
        double seconds = (System.nanoTime() - start) / 1e9;
        MemoryPeak peak = memory.peak().orElse(null);
        state.finish(Stage.DATA, seconds, peak, run.layout().state());
        LOG.info("[{}] finished in {}{}", Stage.DATA.id(), RunSummary.formatSeconds(seconds), peakText(peak));
        return plans;
    }

    private void timed(StagePlan p, RunPlan.Step step) throws IOException {
        String stage = p.key().id();
        Path stateFile = run.layout().state();
        switch (step.action()) {
            case SKIP -> {
                state.adopt(stage, step.fingerprint(), stateFile);
                LOG.info("[{}] done before ({}), skipped; --force redoes it", stage,
                        RunSummary.formatSeconds(state.seconds().get(stage)));
                return;
            }
            case RESTART -> delete(p.outputs());
            case CONTINUE -> delete(p.derived());
            case RUN -> { } // a checkpoint it left with this config is continued inside the stage
        }
        // A continued stage's output holds its earlier training too; the summary counts both
        // times and the higher of both peaks.
        boolean continued = step.action() == RunPlan.Action.CONTINUE;
        double earlier = continued ? state.seconds().getOrDefault(stage, 0.0) : 0.0;
        MemoryPeak earlierPeak = continued ? state.peakRss().get(stage) : null;
        LOG.info("[{}] ...", stage);
        state.start(stage, step.fingerprint(), stateFile);
        releaseFreedMemory();
        ProcessMemory.Window memory = ProcessMemory.startWindow();
        long start = System.nanoTime();
        p.body().run();
        double seconds = (System.nanoTime() - start) / 1e9;
        MemoryPeak peak = memory.peak().orElse(null);
        state.finish(stage, earlier + seconds, peak == null || earlierPeak == null ? peak : peak.max(earlierPeak),
                stateFile);
        if (earlier > 0) {
            LOG.info("[{}] finished in {} ({} with the run it continued){}", stage,
                    RunSummary.formatSeconds(seconds), RunSummary.formatSeconds(earlier + seconds), peakText(peak));
        } else {
            LOG.info("[{}] finished in {}{}", stage, RunSummary.formatSeconds(seconds), peakText(peak));
        }
    }

    private static void delete(List<Path> dirs) throws IOException {
        for (Path dir : dirs) {
            AtomicFiles.deleteRecursively(dir);
        }
    }

    /**
     * Gives back what the stages before freed, so a stage starts near the run's floor (the JVM,
     * libtorch, the dataset) and its recorded peak is its own: a full collection frees the Java
     * objects they left (latent arrays, batches, and the direct buffers behind input tensors, whose
     * native memory only a collection frees), and the trim returns the C heap's free pages.
     */
    private static void releaseFreedMemory() {
        System.gc();
        NativeHeap.trim();
    }

    /** ", peak RSS 812.4 MiB" for the log, naming a process-wide peak as such; "" when unknown. */
    private static String peakText(MemoryPeak peak) {
        return peak == null ? "" : ", peak RSS " + RunSummary.formatPeak(peak);
    }
}
