package ldm4j.cli.data;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import ldm4j.cli.options.Verbosity;
import ldm4j.core.InputException;
import ldm4j.core.data.DataView;
import ldm4j.core.data.DatasetStore;
import ldm4j.core.data.ProgressBarListener;
import ldm4j.core.data.Split;
import ldm4j.core.data.UInt8Images;
import ldm4j.core.io.ImageGrid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ldm4j data preview NAME|SPEC --out grid.png}: a PNG grid of dataset images. */
@Command(
        name = "preview",
        mixinStandardHelpOptions = true,
        description = "Write a PNG grid of dataset images (a seeded random draw, or the first N with --first).")
public final class DataPreviewCommand implements Callable<Integer> {
    @Mixin
    Verbosity verbosity;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME|SPEC", description = "A built-in dataset name or a spec (see `ldm4j data --help`).")
    String name;

    @Option(names = "--out", required = true, paramLabel = "FILE.png", description = "The PNG to write (required).")
    Path out;

    @Option(names = "--n", paramLabel = "N", defaultValue = "64", description = "Number of images (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--nrow", paramLabel = "K", description = "Images per row (default: ceil(sqrt(N))).")
    Integer nrow;

    @Option(names = "--scale", paramLabel = "S", defaultValue = "2",
            description = "Integer upscaling of each image, nearest neighbour (default: ${DEFAULT-VALUE}).")
    int scale;

    @Option(names = "--split", paramLabel = "all|train|test", defaultValue = "all",
            description = "Which split to draw from (default: ${DEFAULT-VALUE}).")
    Split split;

    @Option(names = "--first", description = "Take the first N images instead of a random draw (default: ${DEFAULT-VALUE}).")
    boolean first;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed of the random draw (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        if (n <= 0) {
            throw new InputException("--n " + n + ": must be at least 1");
        }
        if (scale <= 0 || scale > 16) {
            throw new InputException("--scale " + scale + ": must be between 1 and 16");
        }
        DataView view;
        try (ProgressBarListener bars = new ProgressBarListener()) {
            view = DatasetStore.atDefaultLocation().withProgress(bars).open(name).view(split);
        }
        UInt8Images images = first ? view.first(n) : view.sample(n, seed);
        int cols = nrow != null ? nrow : (int) Math.ceil(Math.sqrt(images.count()));
        if (cols <= 0) {
            throw new InputException("--nrow " + nrow + ": must be at least 1");
        }
        ImageGrid.write(out, images.pixels(), images.count(), images.channels(), images.height(), images.width(),
                ImageGrid.Options.defaults().withNrow(cols).withScale(scale));
        spec.commandLine().getOut().printf("wrote %s (%d images of %s, %d×%d×%d)%n", out, images.count(), name,
                images.channels(), images.height(), images.width());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
