package ldm4j.pipeline.experiment;

import java.util.Objects;

/**
 * One stage of one run: its kind, and its id in run-state.json and the summary. The id is the kind's
 * ({@code baseline}) for the first stage of a kind, and {@code kind:name} ({@code baseline:dense})
 * for each further one, so a run can hold several baselines. A stage reads every planned stage of
 * the kinds its kind reads ({@link Stage#inputs()}): the evaluation reads each baseline.
 *
 * @param kind what the stage does
 * @param id its id in the run
 */
public record StageKey(Stage kind, String id) {
    public StageKey {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        if (!id.equals(kind.id()) && !(id.startsWith(kind.id() + ":")
                && id.substring(kind.id().length() + 1).matches("[A-Za-z0-9._-]+"))) {
            throw new IllegalArgumentException("a " + kind.id() + " stage's id is " + kind.id() + " or " + kind.id()
                    + ":NAME (letters, digits, . _ -), got " + id);
        }
    }

    /** The first (or only) stage of {@code kind}. */
    public static StageKey of(Stage kind) {
        return new StageKey(kind, kind.id());
    }

    /** A further stage of {@code kind}, told apart by {@code name}. */
    public static StageKey of(Stage kind, String name) {
        return new StageKey(kind, kind.id() + ":" + name);
    }

    /** The kind of the stage with this id ({@code baseline:dense} → BASELINE), or null for none. */
    static Stage kindOf(String id) {
        String kind = id.contains(":") ? id.substring(0, id.indexOf(':')) : id;
        for (Stage s : Stage.values()) {
            if (s.id().equals(kind)) {
                return s;
            }
        }
        return null;
    }
}
