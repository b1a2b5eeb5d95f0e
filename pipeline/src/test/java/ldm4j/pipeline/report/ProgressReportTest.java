package ldm4j.pipeline.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ldm4j.core.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The f sweep's sentences and plots on given numbers: a difference only where the intervals are disjoint. */
class ProgressReportTest {
    @TempDir
    Path dir;

    @Test
    void anFdThatFallsBeyondItsIntervalsIsSaidToFall() {
        String s = Findings.overTraining("f=4", new Interval(40, 38, 42), 25, new Interval(12, 11, 13), 100);
        assertEquals("For f=4, FD falls from 40 (95% interval 38–42) at 25% of its training to 12 (95% interval "
                + "11–13) at 100% (intervals disjoint).", s);
    }

    @Test
    void anFdWhoseIntervalsOverlapClaimsNoChange() {
        String s = Findings.overTraining("f=1", new Interval(250, 230, 270), 25, new Interval(240, 220, 260), 100);
        assertTrue(s.endsWith("the intervals overlap, so no change over the training is shown."), s);
        assertFalse(s.contains("falls"), s);
    }

    /**
     * f = 4 ends lowest and beats f = 1 beyond the intervals, but overlaps f = 8: the paragraph says
     * exactly that, and that the pixel UNet trains slowest.
     */
    @Test
    void theSweepParagraphClaimsOnlyWhatTheIntervalsShow() throws IOException {
        double[] f = {1, 4, 8};
        double[][] fd = {{300, 280, 320}, {20, 18, 22}, {21, 19, 23}};
        double[] rate = {12, 390, 600};
        List<ResultRow> rows = new ArrayList<>();
        Map<String, JsonNode> progress = new LinkedHashMap<>();
        for (int i = 0; i < f.length; i++) {
            String name = "f=" + (int) f[i];
            Map<ResultColumn, Object> v = new EnumMap<>(ResultColumn.class);
            v.put(ResultColumn.LDM_FD, fd[i][0]);
            v.put(ResultColumn.LDM_FD_LOW, fd[i][1]);
            v.put(ResultColumn.LDM_FD_HIGH, fd[i][2]);
            v.put(ResultColumn.UNET_IMAGES_PER_SECOND, rate[i]);
            v.put(ResultColumn.SAMPLING_IMAGES_PER_SECOND, rate[i] / 20);
            rows.add(new ResultRow(name, f[i], dir, v));
            ArrayNode points = Json.MAPPER.createArrayNode();
            for (int k = 1; k <= 4; k++) {
                double value = fd[i][0] * (5 - k) / 1.0;
                points.addObject().put("fraction", k / 4.0).putObject("metrics").put("fd", value)
                        .put("fdLow", value - (fd[i][0] - fd[i][1])).put("fdHigh", value + (fd[i][2] - fd[i][0]));
            }
            progress.put(name, points);
        }
        ReportPage.Section section = ProgressReport.section(dir, new Report.Sweep("f", Report.Sweep.Scale.LINEAR), rows,
                progress);
        String text = String.join(" ", section.findings());
        assertTrue(text.contains("FD at the end of the UNet's training is lowest at f=4: 20 (95% interval "
                + "18–22). It is measurably lower than at f=1 (intervals disjoint). Its interval overlaps f=8's, "
                + "so no difference is claimed there."), text);
        assertTrue(text.contains("The UNet's training throughput (img/s) rises monotonically as f grows, from 12 at "
                + "f = 1 to 600 at f = 8."), text);
        assertTrue(text.contains("For f=4, FD falls from 80 (95% interval 78–82) at 25% of its training to 20"), text);
        assertEquals(List.of("fd-progress.png", "throughput.png"),
                section.figures().stream().map(ReportPage.Figure::file).toList());
        for (ReportPage.Figure fig : section.figures()) {
            assertTrue(Files.size(dir.resolve(fig.file())) > 0, fig.file());
        }
    }
}
