package ldm4j.autoencoder.train;

import java.io.IOException;
import java.nio.file.Path;
import ldm4j.core.data.Dataset;

/** {@link TinyData} for tests in other packages. */
public final class TinyDataAccess {
    private TinyDataAccess() {}

    public static Dataset open(Path dir, int n, long seed) throws IOException {
        return TinyData.open(dir, n, seed);
    }

    public static AutoencoderTrainConfig config(long steps) {
        return TinyData.config(steps, 1e-6, 8);
    }
}
