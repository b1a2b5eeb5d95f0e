package ldm4j.pipeline.experiment;

import java.util.List;

/**
 * The stages of an end-to-end run, in the order they run, each with the stages whose outputs it
 * reads. Only the direct inputs are listed: a stage's fingerprint holds its inputs' fingerprints,
 * so a change further up reaches it through them (the autoencoder reaches sample through encode
 * and diffusion).
 */
public enum Stage {
    DATA("data"),
    AUTOENCODER("autoencoder", DATA),
    ENCODE("encode", AUTOENCODER),
    DIFFUSION("diffusion", ENCODE),
    SAMPLE("sample", DIFFUSION),
    BASELINE("baseline", DATA),
    EVAL("eval", SAMPLE, BASELINE),
    SUMMARY("summary");

    private final String id;
    private final List<Stage> inputs;

    Stage(String id, Stage... inputs) {
        this.id = id;
        this.inputs = List.of(inputs);
    }

    /** The stage's name in run-state.json and the summary. */
    public String id() {
        return id;
    }

    /** The stages whose outputs this one reads directly. */
    public List<Stage> inputs() {
        return inputs;
    }

    /** True when this stage reads {@code other}'s outputs, directly or through other stages. */
    public boolean dependsOn(Stage other) {
        for (Stage in : inputs) {
            if (in == other || in.dependsOn(other)) {
                return true;
            }
        }
        return false;
    }
}
