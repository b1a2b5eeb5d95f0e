package ldm4j.pipeline.experiment;

/** The stages of an end-to-end run, in the order they run. */
public enum Stage {
    DATA("data"),
    AUTOENCODER("autoencoder"),
    ENCODE("encode"),
    DIFFUSION("diffusion"),
    SAMPLE("sample"),
    BASELINE("baseline"),
    EVAL("eval"),
    SUMMARY("summary");

    private final String id;

    Stage(String id) {
        this.id = id;
    }

    /** The stage's name in run-state.json and the summary. */
    public String id() {
        return id;
    }
}
