package ldm4j.pipeline.experiment;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What {@code ldm4j run} does with each stage this time, decided before the first one runs by
 * comparing the fingerprints in run-state.json with those of the current config, the way a build
 * tool compares inputs:
 *
 * <ul>
 *   <li>finished, same fingerprint: skip it;
 *   <li>not finished, same fingerprint (or none recorded): run it, continuing from its checkpoint;
 *   <li>a stage it reads is run again: run it again from scratch;
 *   <li>its own config changed: when only a trainer's {@code steps} grew and its learning rate does
 *       not depend on the step count, continue from the checkpoint to the new count (the trainers
 *       resume exactly, so that equals a fresh run); when only settings outside the trainer changed,
 *       keep the trained model; else run it from scratch.
 * </ul>
 *
 * <p>A finished stage with no fingerprint (run-state.json written before fingerprints were kept) is
 * taken as made from the current config and skipped; its fingerprint is recorded from then on.
 */
final class RunPlan {
    /** What happens to one stage. */
    enum Action {
        /** Finished with this config and these inputs: nothing to do. */
        SKIP,
        /** Not finished: run it, continuing from a checkpoint it left with this config. */
        RUN,
        /** Its config changed in a way its trained model survives: keep the checkpoint, run the stage on. */
        CONTINUE,
        /** Its config or an input changed: discard its outputs and run it from scratch. */
        RESTART
    }

    /**
     * One stage's decision.
     *
     * @param action what to do
     * @param fingerprint the stage's fingerprint under the current config, recorded when it runs
     */
    record Step(Action action, StageFingerprint fingerprint) {}

    private final Map<String, Step> steps;
    private final List<String> changes;

    private RunPlan(Map<String, Step> steps, List<String> changes) {
        this.steps = steps;
        this.changes = changes;
    }

    /**
     * Decides every stage in {@code inputs} (the enabled ones, in run order).
     *
     * @param state what earlier invocations recorded
     * @param inputs each enabled stage's config
     */
    static RunPlan of(RunState state, Map<Stage, StageInput> inputs) {
        Map<StageKey, StageInput> byKey = new LinkedHashMap<>();
        inputs.forEach((stage, input) -> byKey.put(StageKey.of(stage), input));
        return ofKeys(state, byKey);
    }

    /**
     * Decides every stage in {@code inputs}, in run order; a stage reads every stage before it whose
     * kind its kind reads (the evaluation reads each baseline).
     *
     * @param state what earlier invocations recorded
     * @param inputs each planned stage's config, in run order
     */
    static RunPlan ofKeys(RunState state, Map<StageKey, StageInput> inputs) {
        Map<StageKey, Step> steps = new LinkedHashMap<>();
        List<String> changes = new ArrayList<>();
        List<String> adopted = new ArrayList<>();
        for (Map.Entry<StageKey, StageInput> e : inputs.entrySet()) {
            StageKey key = e.getKey();
            Stage stage = key.kind();
            StageInput input = e.getValue();
            Map<String, String> ins = new TreeMap<>();
            boolean inputRedone = false;
            for (Stage in : stage.inputs()) {
                boolean planned = false;
                for (Map.Entry<StageKey, Step> before : steps.entrySet()) {
                    if (before.getKey().kind() == in) {
                        Step s = before.getValue();
                        ins.put(before.getKey().id(), s.fingerprint().sha256());
                        inputRedone |= s.action() != Action.SKIP;
                        planned = true;
                    }
                }
                if (!planned) {
                    ins.put(in.id(), StageFingerprint.OFF);
                }
            }
            StageFingerprint now = StageFingerprint.of(input.config(), ins);
            StageFingerprint before = state.fingerprint(key.id());
            boolean done = stage == Stage.DATA || state.done(key.id()); // data is opened on every run
            Action action;
            if (inputRedone) {
                action = Action.RESTART; // named in the line of the stage that caused it
            } else if (before == null || now.matches(before)) {
                action = done ? Action.SKIP : Action.RUN;
                if (before == null && done && stage != Stage.DATA) {
                    adopted.add(key.id());
                }
            } else if (!before.inputs().equals(now.inputs())) {
                action = Action.RESTART;
                changes.add(key.id() + ": " + inputsChanged(before, now) + "; " + REDO.what()
                        + readers(key, inputs, REDO.readersPrefix()));
            } else {
                // The data stage always runs; a change to it redoes everything that reads the data.
                Decision d = stage == Stage.DATA ? new Decision(Action.RESTART, "", "re-running ")
                        : ownChange(input, before, now);
                action = d.action();
                String since = done ? "" : " since it was interrupted";
                changes.add(key.id() + ": config changed" + since + " (" + now.changesSince(before) + "); "
                        + d.what() + readers(key, inputs, d.readersPrefix()));
            }
            steps.put(key, new Step(action, now));
        }
        if (!adopted.isEmpty()) {
            changes.add(0, String.join(", ", adopted) + ": finished under an older ldm4j that kept no config"
                    + " fingerprints; taken as made from this config (--force redoes them)");
        }
        Map<String, Step> byId = new LinkedHashMap<>();
        steps.forEach((key, step) -> byId.put(key.id(), step));
        return new RunPlan(Collections.unmodifiableMap(byId), List.copyOf(changes));
    }

    /** The decision for {@code stage}, which must be one of the planned (enabled) stages. */
    Step step(Stage stage) {
        return step(stage.id());
    }

    /** The decision for the stage with this id ({@link StageKey#id()}), which must be a planned one. */
    Step step(String id) {
        Step s = steps.get(id);
        if (s == null) {
            throw new IllegalArgumentException("stage " + id + " is not part of this run");
        }
        return s;
    }

    /**
     * One line per stage whose config (or input) changed since it ran, naming the change, what is
     * done about it and which later stages run again because of it; empty when nothing changed.
     */
    List<String> changes() {
        return changes;
    }

    /**
     * What happens to a stage whose own config changed, in words.
     *
     * @param readersPrefix what joins {@code what} to the list of stages that read this one
     */
    private record Decision(Action action, String what, String readersPrefix) {}

    private static final String THEN = ", then re-running ";
    private static final Decision REDO = new Decision(Action.RESTART, "re-running it", " and ");

    /** A stage's own config changed (its inputs did not): keep, continue or redo its work. */
    private static Decision ownChange(StageInput input, StageFingerprint before, StageFingerprint now) {
        JsonPointer training = input.training();
        if (training == null) {
            return REDO;
        }
        JsonNode was = before.config().at(training);
        JsonNode is = now.config().at(training);
        if (was.equals(is)) {
            return new Decision(Action.CONTINUE, "re-sampling it with its trained model", THEN);
        }
        if (onlyStepsGrew(was, is)) {
            long to = is.get(StageInput.STEPS).asLong();
            return input.stepsExtendExactly()
                    ? new Decision(Action.CONTINUE, "continuing its training from the checkpoint to step " + to, THEN)
                    : new Decision(Action.RESTART, "re-training it from scratch (its learning rate decays over the"
                            + " whole step count, so a continued run would not equal a fresh one)", THEN);
        }
        return new Decision(Action.RESTART, "re-training it from scratch", THEN);
    }

    /** True when {@code is} differs from {@code was} only by a larger {@code steps}. */
    static boolean onlyStepsGrew(JsonNode was, JsonNode is) {
        if (!(was instanceof ObjectNode a) || !(is instanceof ObjectNode b)) {
            return false;
        }
        JsonNode from = a.get(StageInput.STEPS);
        JsonNode to = b.get(StageInput.STEPS);
        if (from == null || to == null || !from.isIntegralNumber() || !to.isIntegralNumber()
                || to.asLong() <= from.asLong()) {
            return false;
        }
        ObjectNode a2 = a.deepCopy();
        ObjectNode b2 = b.deepCopy();
        a2.remove(StageInput.STEPS);
        b2.remove(StageInput.STEPS);
        return a2.equals(b2);
    }

    /** "baseline now off", "autoencoder changed": which inputs differ from the recorded ones. */
    private static String inputsChanged(StageFingerprint before, StageFingerprint now) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, String> in : now.inputs().entrySet()) {
            String was = before.inputs().get(in.getKey());
            if (!in.getValue().equals(was)) {
                parts.add(in.getKey() + (in.getValue().equals(StageFingerprint.OFF) ? " now off"
                        : StageFingerprint.OFF.equals(was) ? " now on" : " changed since it ran"));
            }
        }
        return parts.isEmpty() ? "its inputs changed" : String.join(", ", parts);
    }

    /** {@code prefix} and the enabled stages that read {@code stage}'s outputs ("sample, eval"), or "" when none. */
    private static String readers(StageKey stage, Map<StageKey, StageInput> inputs, String prefix) {
        String readers = inputs.keySet().stream().filter(s -> s.kind().dependsOn(stage.kind())).map(StageKey::id)
                .collect(Collectors.joining(", "));
        return readers.isEmpty() ? "" : prefix + readers;
    }
}
