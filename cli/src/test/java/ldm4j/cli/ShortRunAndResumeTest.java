package ldm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import ldm4j.core.data.LatentSet;
import ldm4j.core.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Short runs and resumes as users type them: {@code --steps 2} with the defaults or a preset, and
 * the command that made a run re-run with {@code --resume DIR/checkpoint} appended.
 */
class ShortRunAndResumeTest {
    @TempDir
    Path dir;

    /** A tiny autoencoder that keeps the defaults' schedule: a cosine decay after 100 warm-up steps. */
    private static final String TINY_AE = """
            model: {ch: 8, ch_mult: [1, 2]}
            loss: l2
            batch_size: 4
            log_every: 1
            eval_images: 4
            final_eval_images: 4
            scale_images: 8
            reconstruction_images: 4
            """;

    /** A tiny UNet with the shipped preset's schedule: 200 warm-up steps, then a cosine decay. */
    private static final String TINY_LDM = """
            model: {model_channels: 16, channel_mult: [1, 2], num_res_blocks: 1, attention_resolutions: [2], num_heads: 2}
            batch_size: 4
            lr: 1.0e-3
            warmup: 200
            lr_decay: cosine
            min_lr: 1.0e-5
            log_every: 1
            sample_count: 0
            """;

    /** Appended to a tiny config: a warm-up that fits 2 steps, so a resume test tests the resume alone. */
    private static final String FITS = "warmup: 1\n";

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private String squares(int perClass) throws IOException {
        return TinyLatentRun.writeSquares(Files.createDirectories(dir.resolve("data")), perClass);
    }

    private static String[] args(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    /** {@code command} with {@code flag}'s value replaced (or the flag added), the way a user edits a command line. */
    private static List<String> with(List<String> command, String flag, String value) {
        List<String> out = new ArrayList<>(command);
        int at = out.indexOf(flag);
        if (at >= 0) {
            out.set(at + 1, value);
        } else {
            out.addAll(List.of(flag, value));
        }
        return out;
    }

    private static void ok(CliTestSupport.Result r) {
        assertEquals(0, r.exitCode(), r.err());
    }

    /** Exit code 2 and one line on stderr that contains every one of {@code parts}. */
    private static void refused(CliTestSupport.Result r, String... parts) {
        assertEquals(2, r.exitCode(), r.err() + r.out());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        for (String p : parts) {
            assertTrue(r.err().contains(p), "'" + p + "' in: " + r.err());
        }
    }

    private static long warmupOf(Path checkpoint) {
        return Json.readTree(checkpoint.resolve("checkpoint.json")).path("config").path("warmup").asLong(-1);
    }

    private static long rows(Path csv) throws IOException {
        return Files.readAllLines(csv).size() - 1;
    }

    @Test
    void trainAeWithItsDefaultScheduleRunsTwoStepsAndSaysOnceThatTheWarmupWasShortened() throws IOException {
        String data = squares(4);
        Path out = dir.resolve("ae");
        // No --config: the defaults' schedule; the flags only make the model and batch small.
        Logged r = logged(() -> CliTestSupport.run("train-ae", "--data", data, "--out", out.toString(), "--steps",
                "2", "--ch", "8", "--ch-mult", "1,2", "--batch-size", "4"));
        ok(r.result());
        assertEquals(1, r.lines().size(), r.lines().toString());
        assertTrue(r.lines().get(0).contains("warmup shortened from 100 steps (default) to 0"), r.lines().get(0));
        assertEquals(0, warmupOf(out.resolve("checkpoint")), "the checkpoint records the schedule it trained with");
        assertEquals(2, Json.readTree(out.resolve("checkpoint/checkpoint.json")).path("step").asLong());
    }

    @Test
    void trainAeRefusesWarmupAndStepsThatCannotWorkOnlyWhenBothAreFlags() throws IOException {
        String data = squares(4);
        Path yaml = write("ae.yaml", TINY_AE);
        refused(CliTestSupport.run("train-ae", "--data", data, "--out", dir.resolve("x").toString(), "--config",
                yaml.toString(), "--warmup", "100", "--steps", "80"), "--warmup 100", "--steps 80");
        assertTrue(Files.notExists(dir.resolve("x").resolve("checkpoint")));
    }

    @Test
    void trainLdmWithThePresetsWarmupRunsTwoSteps() throws IOException {
        Path latents = latents(12);
        Path yaml = write("ldm.yaml", TINY_LDM);
        Path out = dir.resolve("ldm");
        Logged r = logged(() -> CliTestSupport.run("train-ldm", "--latents", latents.toString(), "--out",
                out.toString(), "--config", yaml.toString(), "--steps", "2"));
        ok(r.result());
        assertEquals(1, r.lines().size(), r.lines().toString());
        assertTrue(r.lines().get(0).contains("200 steps (" + yaml + ")"), r.lines().get(0));
        assertEquals(0, warmupOf(out.resolve("checkpoint")));
    }

    /** `--steps 2` shortened the warm-up; the same command resumed to more steps keeps the run's schedule. */
    @Test
    void aShortRunResumedByTheSameCommandKeepsItsShortenedWarmup() throws IOException {
        String data = squares(4);
        Path yaml = write("ae.yaml", TINY_AE);
        Path out = dir.resolve("ae");
        List<String> command = List.of("train-ae", "--data", data, "--out", out.toString(), "--config",
                yaml.toString());
        ok(CliTestSupport.run(args(command, "--steps", "2")));
        Logged more = logged(() -> CliTestSupport.run(args(command, "--steps", "3", "--resume",
                out.resolve("checkpoint").toString())));
        ok(more.result());
        assertEquals(List.of(), more.lines(), "nothing is shortened now: the run keeps the warm-up it has");
        assertEquals(0, warmupOf(out.resolve("checkpoint")));
        assertEquals(3, rows(out.resolve("train-log.csv")));
        Path ldmYaml = write("ldm.yaml", TINY_LDM);
        Path latents = latents(12);
        Path ldm = dir.resolve("ldm");
        List<String> ldmCommand = List.of("train-ldm", "--latents", latents.toString(), "--out", ldm.toString(),
                "--config", ldmYaml.toString());
        ok(CliTestSupport.run(args(ldmCommand, "--steps", "2")));
        ok(CliTestSupport.run(args(ldmCommand, "--steps", "3", "--resume", ldm.resolve("checkpoint").toString())));
        assertEquals(0, warmupOf(ldm.resolve("checkpoint")));
        assertEquals(3, rows(ldm.resolve("train-log.csv")));
    }

    @Test
    void trainAeResumesWithTheSameCommandAndRefusesAContradictingFlag() throws IOException {
        String data = squares(4);
        Path yaml = write("ae.yaml", TINY_AE + FITS);
        Path out = dir.resolve("ae");
        List<String> command = List.of("train-ae", "--data", data, "--out", out.toString(), "--config",
                yaml.toString(), "--beta", "1e-4", "--seed", "3");
        ok(CliTestSupport.run(args(command, "--steps", "2")));
        String checkpoint = out.resolve("checkpoint").toString();

        ok(CliTestSupport.run(args(command, "--steps", "4", "--resume", checkpoint)));
        assertEquals(4, rows(out.resolve("train-log.csv")));

        refused(CliTestSupport.run(args(with(command, "--beta", "0.5"), "--steps", "6", "--resume", checkpoint)),
                "--beta", "beta = 0.5", "beta = 1.0E-4", checkpoint);
        refused(CliTestSupport.run(args(command, "--steps", "6", "--resume", checkpoint, "--batch-size", "8")),
                "--batch-size", "batch_size = 8", "batch_size = 4");
        refused(CliTestSupport.run(args(command, "--steps", "6", "--resume", checkpoint, "--loss", "l1")),
                "--loss", "loss = l1", "loss = l2");
        refused(CliTestSupport.run(args(with(command, "--seed", "4"), "--steps", "6", "--resume", checkpoint)),
                "--seed", "seed = 4", "seed = 3");
        refused(CliTestSupport.run(args(command, "--steps", "6", "--resume", checkpoint, "--warmup", "0")),
                "--warmup", "warmup = 0", "warmup = 1");
        Path other = write("other.yaml", TINY_AE.replace("ch: 8", "ch: 16") + FITS);
        refused(CliTestSupport.run("train-ae", "--data", data, "--out", out.toString(), "--config", other.toString(),
                "--steps", "6", "--resume", checkpoint), other.toString(), "model.ch = 16", "model.ch = 8");
        assertEquals(4, rows(out.resolve("train-log.csv")), "no refused resume trained a step");
    }

    @Test
    void trainLdmResumesWithTheSameCommandAndRefusesAContradictingFlag() throws IOException {
        Path latents = latents(12);
        Path yaml = write("ldm.yaml", TINY_LDM + FITS);
        Path out = dir.resolve("ldm");
        List<String> command = List.of("train-ldm", "--latents", latents.toString(), "--out", out.toString(),
                "--config", yaml.toString(), "--seed", "4", "--lr", "1e-3");
        ok(CliTestSupport.run(args(command, "--steps", "2")));
        String checkpoint = out.resolve("checkpoint").toString();

        ok(CliTestSupport.run(args(command, "--steps", "3", "--resume", checkpoint)));
        assertEquals(3, rows(out.resolve("train-log.csv")));

        refused(CliTestSupport.run(args(with(command, "--lr", "1e-4"), "--steps", "5", "--resume", checkpoint)),
                "--lr", "lr = 1.0E-4", "lr = 0.001", checkpoint);
        refused(CliTestSupport.run(args(command, "--steps", "5", "--resume", checkpoint, "--channel-mult", "1,1")),
                "--channel-mult", "model.channel_mult = [1,1]", "model.channel_mult = [1,2]");
        refused(CliTestSupport.run(args(command, "--steps", "5", "--resume", checkpoint, "--prediction", "v")),
                "--prediction", "prediction = v", "prediction = eps");
        assertEquals(3, rows(out.resolve("train-log.csv")));
    }

    @Test
    void aTruncatedOrGarbledCheckpointIsNamedWhateverFlagsComeWithIt() throws IOException {
        String data = squares(4);
        Path aeYaml = write("ae.yaml", TINY_AE + FITS);
        Path ae = dir.resolve("ae");
        List<String> aeCommand = List.of("train-ae", "--data", data, "--out", ae.toString(), "--config",
                aeYaml.toString(), "--resume", ae.resolve("checkpoint").toString(), "--steps", "4", "--beta", "0.5");
        ok(CliTestSupport.run("train-ae", "--data", data, "--out", ae.toString(), "--config", aeYaml.toString(),
                "--steps", "2"));
        Path latents = latents(12);
        Path ldmYaml = write("ldm.yaml", TINY_LDM + FITS);
        Path ldm = dir.resolve("ldm");
        List<String> ldmCommand = List.of("train-ldm", "--latents", latents.toString(), "--out", ldm.toString(),
                "--config", ldmYaml.toString(), "--resume", ldm.resolve("checkpoint").toString(), "--steps", "4",
                "--lr", "1e-4");
        ok(CliTestSupport.run("train-ldm", "--latents", latents.toString(), "--out", ldm.toString(), "--config",
                ldmYaml.toString(), "--steps", "2"));

        for (List<String> command : List.of(aeCommand, ldmCommand)) {
            Path checkpoint = Path.of(command.get(command.indexOf("--resume") + 1));
            Path model = checkpoint.resolve("model.safetensors");
            byte[] tensors = Files.readAllBytes(model);
            Files.write(model, Arrays.copyOf(tensors, tensors.length / 2));
            refused(CliTestSupport.run(command.toArray(String[]::new)), model + ": ", "truncated");
            Files.write(model, tensors);

            Path sidecar = checkpoint.resolve("checkpoint.json");
            String json = Files.readString(sidecar);
            Files.writeString(sidecar, json.substring(0, json.length() / 2));
            refused(CliTestSupport.run(command.toArray(String[]::new)), sidecar + ": not valid");
            Files.writeString(sidecar, json.replace("\"batch_size\" : 4", "\"batch_size\" : \"four\""));
            refused(CliTestSupport.run(command.toArray(String[]::new)), sidecar + ": ", "batch_size");
            Files.writeString(sidecar, json);
        }
    }

    /** n unlabelled latents of 4×4×4 in a latent directory, as `ldm4j encode` writes them. */
    private Path latents(int n) throws IOException {
        float[] x = new float[n * 64];
        for (int i = 0; i < x.length; i++) {
            x[i] = ((i * 7) % 11) / 5f - 1f;
        }
        Path out = dir.resolve("latents");
        new LatentSet(new LatentSet.Header(4, 4, 4, n, 0, 0, 0.5, "mean", "toy", "none", "none", null), x, new int[n],
                new float[0], new int[0]).write(out);
        return out;
    }

    private record Logged(CliTestSupport.Result result, List<String> lines) {}

    /** The result of {@code body} and what the warm-up fitting logged meanwhile. */
    private static Logged logged(Supplier<CliTestSupport.Result> body) {
        Logger logger = (Logger) LoggerFactory.getLogger("ldm4j.core.train.WarmupFit");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            CliTestSupport.Result r = body.get();
            return new Logged(r, lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
        } finally {
            logger.detachAppender(lines);
        }
    }
}
