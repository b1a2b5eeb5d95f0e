package ldm4j.pipeline.stage;

import java.io.IOException;
import ldm4j.core.data.Dataset;
import ldm4j.core.data.DatasetStore;
import ldm4j.core.data.ProgressBarListener;

/**
 * Stage 0: a dataset by name or spec, fetched and prepared into the cache on first use (with
 * progress bars), opened from the cache after that.
 */
public final class DataStage {
    private DataStage() {}

    /**
     * Opens {@code spec} from the default cache, preparing it first when it is not there.
     *
     * @param spec a dataset name ({@code fashion-mnist}) or spec ({@code idx:…}, {@code folder:…})
     * @throws ldm4j.core.InputException naming the file or spec for bad data
     */
    public static Dataset open(String spec) throws IOException {
        try (ProgressBarListener bars = new ProgressBarListener()) {
            return DatasetStore.atDefaultLocation().withProgress(bars).open(spec);
        }
    }
}
