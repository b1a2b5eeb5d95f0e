package ldm4j.core.data;

import ldm4j.core.progress.Progress;

/**
 * Shows each data job (fetch, convert, decode) as a progress bar, or as periodic log lines when
 * the output is not a terminal. A new task name closes the previous bar and opens the next.
 */
public final class ProgressBarListener implements ProgressListener, AutoCloseable {
    private String task;
    private Progress bar;

    @Override
    public synchronized void progress(String name, long done, long total) {
        if (bar == null || !name.equals(task)) {
            close();
            task = name;
            bar = Progress.start(name, total);
        }
        bar.stepTo(done);
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
