package ldm4j.pipeline.stage;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;
import ldm4j.core.data.Dataset;
import ldm4j.core.data.UInt8Images;
import ldm4j.core.io.Json;
import ldm4j.pipeline.SampleFiles;
import ldm4j.pipeline.eval.SampleMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sample quality during the UNet's training (LDM's Fig. 6 plots it against training progress):
 * at equally spaced points of the training, the model as the checkpoint holds it at that step draws
 * samples exactly as the run's sample stage does ({@link SampleStage}, the same model and
 * settings), and they are scored exactly as the eval stage scores them ({@link EvalStage}). The last
 * point, 100%, is the run's own sample and eval stages, so it is not drawn twice.
 *
 * <p>Each point is written to {@code progress/step-N.json} in the UNet's run folder, atomically,
 * after its samples ({@code progress/step-N/}): a run interrupted and resumed finds the points it
 * has and does not draw them again.
 */
public final class ProgressPoints {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressPoints.class);
    /** The folder of the points, inside the UNet's run folder. */
    public static final String DIR = "progress";
    /** The eval stage's name of the scored set. */
    private static final String KEY = "ldm";

    private ProgressPoints() {}

    /**
     * What to draw and score at each point.
     *
     * @param model the run's sample-stage model: it loads the checkpoint as it is when called
     * @param data the dataset the samples are scored against
     * @param features the eval stage's feature network
     * @param dir where the points go ({@code diffusion/progress})
     * @param totalSteps the UNet's steps
     * @param points how many points, the last being the run's evaluation (≥ 2)
     * @param gridMax images in each point's grid
     */
    public record Input(SampleStage.Model model, Dataset data, EvalStage.Features features, Path dir, long totalSteps,
            int points, int gridMax) {
        public Input {
            Objects.requireNonNull(model, "model");
            if (points < 2) {
                throw new IllegalArgumentException("points must be >= 2, got " + points);
            }
        }

        /** The steps at which points are drawn during training: k·total/points for k = 1 … points − 1, rounded. */
        public List<Long> steps() {
            return ProgressPoints.steps(totalSteps, points);
        }
    }

    /**
     * The training steps of the points before the last: round(k · total / points), for k = 1 …
     * points − 1, without repeats and without 0 or {@code total} (the last point is the run's own).
     */
    public static List<Long> steps(long total, int points) {
        List<Long> out = new ArrayList<>();
        for (int k = 1; k < points; k++) {
            long s = Math.round((double) k * total / points);
            if (s > 0 && s < total && (out.isEmpty() || out.get(out.size() - 1) < s)) {
                out.add(s);
            }
        }
        return out;
    }

    /** The point at {@code step}: drawn, scored and written, unless its file is already there. */
    public static void at(Input in, long step, Device device) throws IOException {
        Path file = in.dir().resolve(fileName(step));
        if (Files.isRegularFile(file)) {
            LOG.info("progress point at step {} was drawn before; kept", step);
            return;
        }
        long start = System.nanoTime();
        UInt8Images images = SampleStage.draw(in.model(), "progress step " + step, device);
        double seconds = (System.nanoTime() - start) / 1e9;
        SampleFiles.write(in.dir().resolve(gridDir(step)), images, null, in.gridMax());
        EvalStage.Output scored = EvalStage.run(in.data(), in.features(),
                List.of(new EvalStage.Samples(KEY, images, images.labels())), device, LOG::info);
        SampleMetrics m = scored.metrics().get(KEY);
        ObjectNode point = Json.MAPPER.createObjectNode();
        point.put("step", step);
        point.put("total_steps", in.totalSteps());
        point.put("fraction", (double) step / in.totalSteps());
        point.put("samples", images.count());
        point.put("sampling_seconds", seconds);
        point.set("metrics", Json.MAPPER.valueToTree(m));
        Files.createDirectories(in.dir());
        Json.write(file, point);
        LOG.info("progress {}% (step {} of {}): FD {} ({} samples in {} s)", Math.round(100.0 * step / in.totalSteps()),
                step, in.totalSteps(), String.format(Locale.ROOT, "%.3f", m.fd()), images.count(),
                String.format(Locale.ROOT, "%.1f", seconds));
    }

    /** {@code step-N}: the folder of the point's samples and grid. */
    public static String gridDir(long step) {
        return "step-" + step;
    }

    /** {@code step-N.json}. */
    public static String fileName(long step) {
        return gridDir(step) + ".json";
    }

    /**
     * Every point of a run in step order, as the summary holds them: the points drawn during
     * training, then the run's evaluation as the last one; empty when the run drew none.
     *
     * @param dir the points' folder
     * @param evalMetrics the run's eval/metrics.json, parsed (its {@code ldm} set is the last point), or null
     */
    public static ArrayNode collect(Path dir, JsonNode evalMetrics) throws IOException {
        ArrayNode out = Json.MAPPER.createArrayNode();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        List<JsonNode> points = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches("step-\\d+\\.json")).toList()) {
                points.add(Json.readTree(f));
            }
        }
        if (points.isEmpty()) {
            return out;
        }
        points.sort((a, b) -> Long.compare(a.path("step").asLong(), b.path("step").asLong()));
        points.forEach(out::add);
        JsonNode last = evalMetrics == null ? null : evalMetrics.get(KEY);
        if (last != null && last.isObject()) {
            long total = points.get(0).path("total_steps").asLong();
            ObjectNode end = out.addObject();
            end.put("step", total);
            end.put("total_steps", total);
            end.put("fraction", 1.0);
            end.put("samples", last.path("samples").asInt());
            end.set("metrics", last);
        }
        return out;
    }
}
