package ldm4j.cli.data;

import ldm4j.cli.options.Verbosity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ldm4j data}: fetch, describe and preview datasets. */
@Command(
        name = "data",
        mixinStandardHelpOptions = true,
        description = {
            "Fetch, describe and preview datasets.",
            "A dataset is a built-in name (fashion-mnist, mnist, emoji) or a spec for your own files:",
            "  idx:IMAGES[,LABELS]   MNIST idx files, raw or .gz",
            "  cifar10:DIR           the CIFAR-10 binary batches",
            "  folder:DIR[?size=64&channels=3]   images, class sub-folders become labels",
            "Prepared data is cached under $LDM4J_CACHE (default ~/.cache/ldm4j)."
        },
        subcommands = {DataFetchCommand.class, DataInfoCommand.class, DataPreviewCommand.class})
public final class DataCommand implements Runnable {
    @Mixin
    Verbosity verbosity;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
