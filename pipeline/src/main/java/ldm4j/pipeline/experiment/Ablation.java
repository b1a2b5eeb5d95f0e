package ldm4j.pipeline.experiment;

import ai.djl.Device;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import ldm4j.core.data.Dataset;
import ldm4j.core.io.AtomicFiles;
import ldm4j.pipeline.RunLayout;
import ldm4j.pipeline.report.Report;
import ldm4j.pipeline.stage.DataStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ldm4j ablate}: one ordinary run per sub-run of an {@link AblationConfig}, in the ablation's
 * directory, then the sweep's report over all of them.
 *
 * <pre>
 * runs/beta-ablation/
 *   ablation.yaml          the ablation file, as given
 *   beta=0/ ... beta=1/    one run directory per value (config.yaml, run-state.json, stages, report/)
 *   ldm-l1/                an extra, labelled point (ldm-l1_seed=1/ ... its other seeds)
 *   baseline/              the shared pixel-space VAE, when the file names one ({@link SharedBaseline})
 *   report/index.html      the sweep's report: results.csv / .json, plots, grids
 * </pre>
 *
 * <p>Every sub-run's stages go through {@link RunDriver} as {@code ldm4j run}'s do, with the dataset
 * opened once for all of them. There is no state of the ablation's own: a killed ablation, started
 * again, finds the finished sub-runs' stages done (each run's run-state.json and fingerprints) and
 * picks up inside the sub-run it stopped in. Each sub-run's {@code config.yaml} is the base with its
 * overrides written in, so {@code ldm4j run runs/beta-ablation/beta=0/config.yaml --out
 * runs/beta-ablation/beta=0} finds that run done too.
 */
public final class Ablation {
    private static final Logger LOG = LoggerFactory.getLogger(Ablation.class);
    /** The copy of the ablation file in its directory. */
    public static final String CONFIG = "ablation.yaml";

    private Ablation() {}

    /** What happens to each sub-run's stage plans before they run; the identity outside tests. */
    @FunctionalInterface
    interface PlanHook {
        List<StagePlan> apply(AblationConfig.SubRun subRun, List<StagePlan> plans);
    }

    /**
     * Runs every sub-run not yet done, then writes the report.
     *
     * @param out the ablation's directory (created as needed)
     * @param force redo every stage of every sub-run
     * @return the report's page
     */
    public static Path run(AblationConfig config, Path out, boolean force, Device device) throws IOException {
        return run(config, out, force, device, (s, plans) -> plans);
    }

    static Path run(AblationConfig config, Path out, boolean force, Device device, PlanHook hook) throws IOException {
        return run(config, out, force, device, hook, ThroughputProbe.timing(device));
    }

    /**
     * {@link #run(AblationConfig, Path, boolean, Device, PlanHook)} with the meter that turns a
     * sub-run's UNet budget into steps, once per sub-run ({@link ThroughputProbe}).
     */
    static Path run(AblationConfig config, Path out, boolean force, Device device, PlanHook hook,
            ThroughputProbe.Meter meter) throws IOException {
        Files.createDirectories(out);
        AtomicFiles.writeBytes(out.resolve(CONFIG), Files.readAllBytes(config.file()));
        SharedData data = new SharedData();
        List<Report.SubRun> rows = new ArrayList<>();
        RunConfig shared = null;
        int i = 0;
        for (AblationConfig.SubRun s : config.subRuns()) {
            i++;
            RunLayout layout = new RunLayout(out.resolve(s.name()));
            Files.createDirectories(layout.root());
            ObjectNode tree = config.runConfigTree(s);
            // A budget in seconds becomes the sub-run's UNet steps here, measured once and kept in config.yaml.
            RunConfig run = ThroughputProbe.write(tree, layout.config(), () -> data.open(tree.path("data").asText()).info(),
                    meter);
            LOG.info("ablation: sub-run {} ({} of {}) in {}", s.name(), i, config.subRuns().size(), layout.root());
            RunDriver.run(new RunDriver.Run(run.name(), run.data(), layout), force, () -> data.open(run.data()),
                    d -> hook.apply(s, EndToEndRun.plans(run, d, layout, device)));
            rows.add(new Report.SubRun(s.name(), s.sweepValue(), layout.root(), s.point(), s.shownAt()));
            shared = shared == null ? run : shared;
        }
        Report.SubRun baseline = null;
        if (config.baseline() != null) {
            Path dir = out.resolve(SharedBaseline.DIR);
            LOG.info("ablation: the shared baseline ({}) in {}", config.baseline().getFileName(), dir);
            RunConfig first = shared;
            SharedBaseline.run(config.baseline(), first, () -> data.open(first.data()), dir, force, device);
            baseline = new Report.SubRun("VAE baseline (" + config.baseline().getFileName().toString()
                    .replaceFirst("\\.ya?ml$", "") + ")", null, dir);
        }
        Path page = Report.write(out.resolve(Report.DIR), config.title(), config.sweep(), rows, baseline);
        LOG.info("ablation done: open {} in a browser", page);
        return page;
    }

    /** The dataset, opened by the first sub-run and handed to the others (they share its spec). */
    private static final class SharedData {
        private String spec;
        private Dataset data;

        Dataset open(String wanted) throws IOException {
            if (data == null) {
                data = DataStage.open(wanted);
                spec = wanted;
            } else if (!spec.equals(wanted)) {
                throw new IllegalStateException("sub-runs of one ablation share a dataset: " + spec + " vs " + wanted);
            }
            return data;
        }
    }
}
