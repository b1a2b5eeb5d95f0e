package ldm4j.pipeline.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sub-runs grouped by point: one row per seed in, the point's mean and the seeds' spread out. */
class PointGroupTest {
    private static ResultRow row(String name, Double beta, double fd, double low, double high, double psnr) {
        return new ResultRow(name, beta, Path.of(name), Map.of(ResultColumn.LDM_FD, fd, ResultColumn.LDM_FD_LOW, low,
                ResultColumn.LDM_FD_HIGH, high, ResultColumn.AE_PSNR, psnr, ResultColumn.AE_LOSS, "l1"));
    }

    @Test
    void seedsOfOnePointAreOneGroupWithTheirMeanAndTheirRange() {
        List<ResultRow> rows = List.of(row("beta=0", 0.0, 10, 9, 11, 30), row("ldm-l1", null, 5, 4, 6, 26),
                row("ldm-l1_seed=1", null, 8, 7, 10, 25), row("ldm-l1_seed=2", null, 11, 9.5, 12.5, 27));
        List<Report.SubRun> runs = List.of(new Report.SubRun("beta=0", 0.0, Path.of("a")),
                new Report.SubRun("ldm-l1", null, Path.of("b"), "ldm-l1", 1e-6),
                new Report.SubRun("ldm-l1_seed=1", null, Path.of("c"), "ldm-l1", 1e-6),
                new Report.SubRun("ldm-l1_seed=2", null, Path.of("d"), "ldm-l1", 1e-6));
        List<PointGroup> points = PointGroup.of(runs, rows);
        assertEquals(List.of("beta=0", "ldm-l1"), points.stream().map(PointGroup::point).toList());
        PointGroup demo = points.get(1);
        assertEquals(3, demo.seeds());
        assertEquals(1e-6, demo.shownAt());
        assertEquals(8, demo.mean(ResultColumn.LDM_FD).getAsDouble(), 1e-12);
        assertEquals(6, demo.spread(ResultColumn.LDM_FD).getAsDouble(), 1e-12, "max 11 − min 5");
        assertEquals(26, demo.mean(ResultColumn.AE_PSNR).getAsDouble(), 1e-12);
        assertEquals(2, demo.spread(ResultColumn.AE_PSNR).getAsDouble(), 1e-12);
        // The bootstrap interval at the mean: mean distance below 1, 1, 1.5 → 7/6; above 1, 2, 1.5 → 1.5.
        Interval i = demo.interval(ResultColumn.LDM_FD, ResultColumn.LDM_FD_LOW, ResultColumn.LDM_FD_HIGH);
        assertEquals(8, i.value(), 1e-12);
        assertEquals(8 - 3.5 / 3, i.low(), 1e-12);
        assertEquals(9.5, i.high(), 1e-12);
        assertFalse(points.get(0).spread(ResultColumn.LDM_FD).isPresent(), "one seed has no spread");
        assertEquals(new Interval(10, 9, 11), points.get(0).interval(ResultColumn.LDM_FD, ResultColumn.LDM_FD_LOW,
                ResultColumn.LDM_FD_HIGH), "one seed's interval is its own");
    }

    @Test
    void resultsKeepOneRowPerRunThenTheMeanAndSpreadRowsOfEachPointWithSeedsThenTheBaseline() {
        List<ResultRow> rows = List.of(row("beta=0", 0.0, 10, 9, 11, 30), row("x", null, 5, 4, 6, 26),
                row("x_seed=1", null, 9, 8, 10, 24));
        List<PointGroup> points = PointGroup.of(List.of(new Report.SubRun("beta=0", 0.0, Path.of("a")),
                new Report.SubRun("x", null, Path.of("b"), "x", null),
                new Report.SubRun("x_seed=1", null, Path.of("c"), "x", null)), rows);
        ResultRow vae = new ResultRow("VAE baseline (vae)", null, Path.of("v"), Map.of(ResultColumn.VAE_FD, 70.0));
        List<Map<String, Object>> table = ResultsFiles.table(points, vae);
        assertEquals(List.of("beta=0", "x", "x_seed=1", "x: mean of 2 seeds", "x: seeds' spread (max − min)",
                "VAE baseline (vae)"), table.stream().map(r -> r.get(ResultsFiles.RUN)).toList());
        assertEquals(List.of("run", "run", "run", "mean", "spread", "baseline"),
                table.stream().map(r -> r.get(ResultsFiles.KIND)).toList());
        assertEquals(List.of("beta=0", "x", "x", "x", "x", "VAE baseline (vae)"),
                table.stream().map(r -> r.get(ResultsFiles.POINT)).toList());
        assertEquals(7.0, table.get(3).get(ResultColumn.LDM_FD.id()));
        assertEquals(4.0, table.get(4).get(ResultColumn.LDM_FD.id()));
        assertEquals("l1", table.get(3).get(ResultColumn.AE_LOSS.id()), "a text every seed shares is kept");
        assertTrue(table.get(4).get(ResultColumn.AE_LOSS.id()) == null, "a spread of a text is none");
        assertEquals(70.0, table.get(5).get(ResultColumn.VAE_FD.id()));
    }
}
