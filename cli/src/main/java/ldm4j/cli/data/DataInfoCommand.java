package ldm4j.cli.data;

import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.DoubleStream;
import ldm4j.cli.options.Verbosity;
import ldm4j.core.data.DatasetInfo;
import ldm4j.core.data.DatasetStore;
import ldm4j.core.data.ProgressBarListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ldm4j data info NAME|SPEC}: what a dataset holds and where its cache is. */
@Command(
        name = "info",
        mixinStandardHelpOptions = true,
        description = "Print count, shape, classes, split sizes, mean/std and the cache path "
                + "(fetching or preparing the dataset first if needed).")
public final class DataInfoCommand implements Callable<Integer> {
    @Mixin
    Verbosity verbosity;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME|SPEC", description = "A built-in dataset name or a spec (see `ldm4j data --help`).")
    String name;

    @Override
    public Integer call() throws Exception {
        DatasetInfo info;
        try (ProgressBarListener bars = new ProgressBarListener()) {
            info = DatasetStore.atDefaultLocation().withProgress(bars).open(name).info();
        }
        spec.commandLine().getOut().print(format(info));
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** The info block shared by {@code data info} and {@code data fetch}. */
    static String format(DatasetInfo i) {
        String classes = i.numClasses() == 0
                ? "none (unlabelled)"
                : i.numClasses() + (i.classNames().isEmpty() ? "" : ": " + String.join(", ", i.classNames()));
        return String.format(Locale.ROOT,
                "name      %s (%s)%n"
                        + "images    %,d (train %,d / test %,d)%n"
                        + "shape     %d×%d×%d (C×H×W, uint8)%n"
                        + "classes   %s%n"
                        + "mean      %s%n"
                        + "std       %s%n"
                        + "cache     %s%n",
                i.name(), i.version(), i.count(), i.trainSize(), i.testSize(), i.channels(), i.height(), i.width(),
                classes, join(i.mean()), join(i.std()), i.cachePath());
    }

    private static String join(double[] v) {
        return DoubleStream.of(v).mapToObj(x -> String.format(Locale.ROOT, "%.4f", x))
                .collect(Collectors.joining(" ")) + " (per channel, pixels in [0, 1])";
    }
}
