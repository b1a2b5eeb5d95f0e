package ldm4j.pipeline.experiment;

import static ldm4j.pipeline.experiment.RunPlan.Action.CONTINUE;
import static ldm4j.pipeline.experiment.RunPlan.Action.RESTART;
import static ldm4j.pipeline.experiment.RunPlan.Action.RUN;
import static ldm4j.pipeline.experiment.RunPlan.Action.SKIP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import ldm4j.core.io.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RunPlan} on stage configs written out as JSON: which stages a config change skips,
 * continues or redoes, and what the log line says. The end-to-end behaviour on a real tiny run is in
 * the CLI's {@code RunCommandTest}.
 */
class RunPlanTest {
    @TempDir
    Path dir;

    private Path file;
    private Map<Stage, ObjectNode> configs;
    private boolean aeConstantLr;

    @BeforeEach
    void tinyRun() {
        file = dir.resolve("run-state.json");
        configs = new EnumMap<>(Stage.class);
        configs.put(Stage.DATA, json("{\"data\": \"squares\", \"cache_hash\": \"abc\"}"));
        configs.put(Stage.AUTOENCODER, json("{\"steps\": 6, \"beta\": 1.0e-6, \"model\": {\"ch\": 16}}"));
        configs.put(Stage.ENCODE, json("{\"mode\": \"mean\", \"seed\": 3}"));
        configs.put(Stage.DIFFUSION, json("{\"steps\": 1600, \"lr\": 1.0e-4, \"batch_size\": 8}"));
        configs.put(Stage.SAMPLE, json("{\"count\": 9, \"guidance\": 2.0, \"seed\": 3}"));
        configs.put(Stage.BASELINE, json("{\"autoencoder\": {\"steps\": 3, \"beta\": 1.0}, \"sample\": {\"count\": 9}}"));
        configs.put(Stage.EVAL, json("{\"classifier_steps\": 20}"));
    }

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private Map<Stage, StageInput> inputs() {
        Map<Stage, StageInput> in = new EnumMap<>(Stage.class);
        configs.forEach((stage, c) -> in.put(stage, switch (stage) {
            case AUTOENCODER -> new StageInput(c, JsonPointer.empty(), aeConstantLr);
            case DIFFUSION -> new StageInput(c, JsonPointer.empty(), true);
            case BASELINE -> new StageInput(c, JsonPointer.compile("/autoencoder"), false);
            default -> StageInput.of(c);
        }));
        return in;
    }

    /** Plans the current configs against run-state.json. */
    private RunPlan plan() {
        return RunPlan.of(RunState.read(file), inputs());
    }

    /** Runs what the plan runs, recording it as the run does. */
    private void runAll(RunPlan plan) throws IOException {
        RunState state = RunState.read(file);
        for (Stage s : inputs().keySet()) {
            RunPlan.Step step = plan.step(s);
            if (step.action() == SKIP && s != Stage.DATA) { // the data stage runs every time
                state.adopt(s, step.fingerprint(), file);
            } else {
                state.start(s, step.fingerprint(), file);
                state.finish(s, 1.0, null, file);
            }
        }
    }

    private static void assertActions(RunPlan plan, Map<Stage, RunPlan.Action> expected) {
        Map<Stage, RunPlan.Action> got = new EnumMap<>(Stage.class);
        for (Stage s : expected.keySet()) {
            got.put(s, plan.step(s).action());
        }
        assertEquals(new EnumMap<>(expected), got);
    }

    private static Map<Stage, RunPlan.Action> actions(RunPlan.Action ae, RunPlan.Action encode,
            RunPlan.Action diffusion, RunPlan.Action sample, RunPlan.Action baseline, RunPlan.Action eval) {
        return Map.of(Stage.DATA, SKIP, Stage.AUTOENCODER, ae, Stage.ENCODE, encode, Stage.DIFFUSION, diffusion,
                Stage.SAMPLE, sample, Stage.BASELINE, baseline, Stage.EVAL, eval);
    }

    @Test
    void newRunRunsEveryStageAndSaysNothing() {
        RunPlan plan = plan();
        assertEquals(RUN, plan.step(Stage.AUTOENCODER).action());
        assertEquals(RUN, plan.step(Stage.BASELINE).action());
        assertEquals(List.of(), plan.changes());
    }

    @Test
    void unchangedConfigSkipsEveryFinishedStage() throws IOException {
        runAll(plan());
        RunPlan again = plan();
        assertActions(again, actions(SKIP, SKIP, SKIP, SKIP, SKIP, SKIP));
        assertEquals(List.of(), again.changes());
    }

    @Test
    void changedSampleSettingRedoesSampleAndEvalButNoTraining() throws IOException {
        runAll(plan());
        configs.get(Stage.SAMPLE).put("guidance", 3.5);
        RunPlan plan = plan();
        assertActions(plan, actions(SKIP, SKIP, SKIP, RESTART, SKIP, RESTART));
        assertEquals(List.of("sample: config changed (guidance 2.0 → 3.5); re-running it and eval"), plan.changes());
    }

    @Test
    void raisedDiffusionStepsContinueItsTrainingAndRedoWhatReadsIt() throws IOException {
        runAll(plan());
        configs.get(Stage.DIFFUSION).put("steps", 3000);
        RunPlan plan = plan();
        assertActions(plan, actions(SKIP, SKIP, CONTINUE, RESTART, SKIP, RESTART));
        assertEquals(List.of("diffusion: config changed (steps 1600 → 3000); continuing its training from the"
                + " checkpoint to step 3000, then re-running sample, eval"), plan.changes());
    }

    @Test
    void loweredStepsOrAnotherKeyRetrainFromScratch() throws IOException {
        runAll(plan());
        configs.get(Stage.DIFFUSION).put("steps", 1000);
        assertEquals(RESTART, plan().step(Stage.DIFFUSION).action());
        configs.get(Stage.DIFFUSION).put("steps", 3000);
        configs.get(Stage.DIFFUSION).put("lr", 2.0e-4);
        RunPlan plan = plan();
        assertEquals(RESTART, plan.step(Stage.DIFFUSION).action());
        assertTrue(plan.changes().get(0).startsWith(
                "diffusion: config changed (lr 1.0E-4 → 2.0E-4, steps 1600 → 3000); re-training it from scratch"),
                plan.changes().toString());
    }

    @Test
    void raisedAutoencoderStepsContinueOnlyUnderAConstantLearningRate() throws IOException {
        runAll(plan());
        configs.get(Stage.AUTOENCODER).put("steps", 8);
        RunPlan cosine = plan();
        assertActions(cosine, actions(RESTART, RESTART, RESTART, RESTART, SKIP, RESTART));
        assertTrue(cosine.changes().get(0).contains("re-training it from scratch (its learning rate decays"),
                cosine.changes().toString());
        assertTrue(cosine.changes().get(0).endsWith("then re-running encode, diffusion, sample, eval"),
                cosine.changes().toString());

        aeConstantLr = true;
        assertActions(plan(), actions(CONTINUE, RESTART, RESTART, RESTART, SKIP, RESTART));
    }

    @Test
    void baselineSampleSettingKeepsItsTrainedModel() throws IOException {
        runAll(plan());
        configs.get(Stage.SAMPLE).put("count", 12);
        configs.get(Stage.BASELINE).withObject("/sample").put("count", 12);
        RunPlan plan = plan();
        assertActions(plan, actions(SKIP, SKIP, SKIP, RESTART, CONTINUE, RESTART));
        assertTrue(plan.changes().contains("baseline: config changed (sample.count 9 → 12); re-sampling it with its"
                + " trained model, then re-running eval"), plan.changes().toString());
    }

    @Test
    void changedDataRedoesEveryStage() throws IOException {
        runAll(plan());
        configs.get(Stage.DATA).put("cache_hash", "def");
        RunPlan plan = plan();
        assertEquals(RESTART, plan.step(Stage.DATA).action());
        assertActions(plan, Map.of(Stage.AUTOENCODER, RESTART, Stage.ENCODE, RESTART, Stage.DIFFUSION, RESTART,
                Stage.SAMPLE, RESTART, Stage.BASELINE, RESTART, Stage.EVAL, RESTART));
        assertEquals(List.of("data: config changed (cache_hash abc → def); re-running autoencoder, encode, diffusion,"
                + " sample, baseline, eval"), plan.changes());
    }

    @Test
    void interruptedStageWithItsConfigResumesAndLaterStagesRun() throws IOException {
        runAll(plan());
        RunState state = RunState.read(file);
        // Killed during diffusion: it started, nothing after it finished.
        state.start(Stage.DIFFUSION, state.fingerprint(Stage.DIFFUSION), file);
        state.invalidateFrom(Stage.SAMPLE);
        Json.write(file, state);
        RunPlan plan = plan();
        assertActions(plan, actions(SKIP, SKIP, RUN, RESTART, RUN, RESTART));
        assertEquals(List.of(), plan.changes());

        configs.get(Stage.DIFFUSION).put("steps", 3000);
        RunPlan raised = plan();
        assertEquals(CONTINUE, raised.step(Stage.DIFFUSION).action());
        assertTrue(raised.changes().get(0).startsWith("diffusion: config changed since it was interrupted"),
                raised.changes().toString());
    }

    @Test
    void turningTheBaselineOffRedoesEval() throws IOException {
        runAll(plan());
        configs.remove(Stage.BASELINE);
        RunPlan plan = plan();
        assertEquals(RESTART, plan.step(Stage.EVAL).action());
        assertEquals(List.of("eval: baseline now off; re-running it"), plan.changes());
    }

    @Test
    void stateWithoutFingerprintsStillSkipsFinishedStagesAndRecordsThemFromThen() throws IOException {
        Files.writeString(file, """
                {"seconds": {"data": 0.1, "autoencoder": 8.3, "encode": 2.4, "diffusion": 7.0, "sample": 4.4,
                 "baseline": 5.8, "eval": 9.0}}
                """);
        RunPlan plan = plan();
        assertActions(plan, actions(SKIP, SKIP, SKIP, SKIP, SKIP, SKIP));
        assertEquals(1, plan.changes().size(), plan.changes().toString());
        assertTrue(plan.changes().get(0).startsWith("autoencoder, encode, diffusion, sample, baseline, eval: finished"
                + " under an older ldm4j"), plan.changes().toString());

        runAll(plan);
        assertEquals(8.3, RunState.read(file).seconds().get("autoencoder"));
        assertActions(plan(), actions(SKIP, SKIP, SKIP, SKIP, SKIP, SKIP));
        assertEquals(List.of(), plan().changes());
        configs.get(Stage.SAMPLE).put("guidance", 3.5);
        assertActions(plan(), actions(SKIP, SKIP, SKIP, RESTART, SKIP, RESTART));
    }

    @Test
    void fingerprintIgnoresKeyOrderAndJavaNamingButNotValues() {
        StageFingerprint a = StageFingerprint.of(json("{\"batchSize\": 8, \"model\": {\"chMult\": [1, 2]}}"),
                Map.of("x", "1"));
        StageFingerprint b = StageFingerprint.of(json("{\"model\": {\"ch_mult\": [1, 2]}, \"batch_size\": 8}"),
                Map.of("x", "1"));
        assertEquals(a.sha256(), b.sha256());
        assertNotEquals(a.sha256(), StageFingerprint.of(b.config(), Map.of("x", "2")).sha256());
        assertNotEquals(a.sha256(), StageFingerprint.of(json("{\"model\": {\"ch_mult\": [2, 1]}, \"batch_size\": 8}"),
                Map.of("x", "1")).sha256());
        assertEquals("model.ch_mult [1,2] → [2,1]", StageFingerprint.of(
                json("{\"model\": {\"ch_mult\": [2, 1]}, \"batch_size\": 8}"), Map.of()).changesSince(a));
    }
}
