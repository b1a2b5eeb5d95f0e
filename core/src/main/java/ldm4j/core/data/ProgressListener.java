package ldm4j.core.data;

/**
 * Hears how far a long data job (fetching, converting, decoding) has got.
 *
 * <p>Kept to one method so that a progress bar, a log line or a test counter can each implement it
 * in a lambda.
 */
@FunctionalInterface
public interface ProgressListener {
    /** Listens to nothing. */
    ProgressListener NONE = (task, done, total) -> {};

    /**
     * Called as work advances.
     *
     * @param task short name of the job, e.g. "convert fashion-mnist"
     * @param done units finished so far
     * @param total units in the whole job, or -1 when unknown
     */
    void progress(String task, long done, long total);
}
