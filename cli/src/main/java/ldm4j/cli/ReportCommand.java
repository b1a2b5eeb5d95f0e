package ldm4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import ldm4j.cli.options.Verbosity;
import ldm4j.pipeline.report.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ldm4j report RUN_DIR}: (re)writes a finished run's report. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = {
            "Write RUN_DIR/report/ from a finished run's summary.json: index.html (open it in a browser; no server"
                    + " needed), the plots and grids as PNG, results.csv and results.json.",
            "Runs write their report themselves; this redraws it, e.g. after an upgrade."
        })
public final class ReportCommand implements Callable<Integer> {
    @Mixin
    Verbosity verbosity;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR", description = "A run directory with summary.json, e.g. runs/demo.")
    Path runDir;

    @Override
    public Integer call() throws Exception {
        Path index = Report.forRun(runDir);
        spec.commandLine().getOut().println("report written to " + index);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
