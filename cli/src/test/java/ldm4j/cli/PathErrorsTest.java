package ldm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import ldm4j.core.io.Npy;
import ldm4j.core.io.NpyArray;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command that takes a path, handed a directory where it wants a file (or a file where it
 * wants a directory), a path that does not exist, and one it cannot read: each gives one line that
 * names the path and what was expected of it, and exit code 2.
 *
 * <p>{@code chmod 000} does not stop root (the tests may run as root, as CI does). Where it does
 * not, an "unreadable" input is a socket instead, which no one can read as a file, and a directory
 * is one whose entries are all sockets. An output that cannot be written has no such stand-in, so
 * that one variant runs only where permissions hold.
 */
class PathErrorsTest {
    @TempDir
    static Path dir;

    private static final AtomicInteger FRESH = new AtomicInteger();
    private static TinyLatentRun run;
    private static Path samples;
    private static Path aeYaml;
    private static Path ldmYaml;
    private static Path preset;
    private static boolean permissionsHold;

    /** What the command wants at the path. */
    enum Kind { FILE, DIR, OUT_FILE, OUT_DIR }

    /** One command and flag; {@code args} builds its command line from the bad path and a fresh output path. */
    record Case(String name, Kind kind, BiFunction<String, String, String[]> args) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void fixtures() throws IOException {
        run = TinyLatentRun.get();
        samples = dir.resolve("samples.npy");
        Npy.write(samples, NpyArray.ofUint8(new byte[4 * TinyLatentRun.SIDE * TinyLatentRun.SIDE], 4, 1,
                TinyLatentRun.SIDE, TinyLatentRun.SIDE));
        aeYaml = dir.resolve("ae.yaml");
        Files.writeString(aeYaml, "model:\n  ch: 8\n  ch_mult: [1, 2]\n  z_channels: 2\nbatch_size: 4\nwarmup: 1\n");
        ldmYaml = dir.resolve("ldm.yaml");
        Files.writeString(ldmYaml, "model:\n  model_channels: 8\n  channel_mult: [1]\n  num_res_blocks: 1\n"
                + "  attention_resolutions: []\nbatch_size: 4\nwarmup: 1\nsample_count: 0\n");
        preset = Path.of("..", "configs", "fashion-quick.yaml").toAbsolutePath().normalize();
        Path probe = Files.writeString(dir.resolve("probe"), "x");
        Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("---------"));
        permissionsHold = !Files.isReadable(probe);
    }

    static Stream<Case> cases() {
        // run is built lazily in @BeforeAll; these lambdas read it only when a case runs
        List<Case> c = new ArrayList<>();
        c.add(new Case("data info idx:IMAGES", Kind.FILE, (bad, out) -> a("data", "info", "idx:" + bad)));
        c.add(new Case("data info idx:IMAGES,LABELS", Kind.FILE,
                (bad, out) -> a("data", "info", "idx:" + images() + "," + bad)));
        c.add(new Case("data info cifar10:DIR", Kind.DIR, (bad, out) -> a("data", "info", "cifar10:" + bad)));
        c.add(new Case("data info folder:DIR", Kind.DIR, (bad, out) -> a("data", "info", "folder:" + bad)));
        c.add(new Case("data preview --out", Kind.OUT_FILE,
                (bad, out) -> a("data", "preview", run.dataSpec, "--out", bad, "--n", "2")));

        c.add(new Case("train-ae --data", Kind.FILE, (bad, out) -> a("train-ae", "--data", "idx:" + bad, "--out", out)));
        c.add(new Case("train-ae --config", Kind.FILE,
                (bad, out) -> a("train-ae", "--data", run.dataSpec, "--out", out, "--config", bad)));
        c.add(new Case("train-ae --resume", Kind.DIR,
                (bad, out) -> a("train-ae", "--data", run.dataSpec, "--out", out, "--resume", bad)));
        c.add(new Case("train-ae --out", Kind.OUT_DIR, (bad, out) -> a("train-ae", "--data", run.dataSpec, "--out", bad,
                "--config", aeYaml.toString(), "--steps", "2")));

        c.add(new Case("train-ldm --latents", Kind.DIR, (bad, out) -> a("train-ldm", "--latents", bad, "--out", out)));
        c.add(new Case("train-ldm --data", Kind.FILE, (bad, out) -> a("train-ldm", "--data", "idx:" + bad, "--out", out)));
        c.add(new Case("train-ldm --config", Kind.FILE,
                (bad, out) -> a("train-ldm", "--data", run.dataSpec, "--out", out, "--config", bad)));
        c.add(new Case("train-ldm --resume", Kind.DIR, (bad, out) -> a("train-ldm", "--resume", bad)));
        c.add(new Case("train-ldm --out", Kind.OUT_DIR, (bad, out) -> a("train-ldm", "--latents", run.latents.toString(),
                "--out", bad, "--config", ldmYaml.toString(), "--steps", "2")));

        c.add(new Case("train-classifier --data", Kind.FILE,
                (bad, out) -> a("train-classifier", "--data", "idx:" + bad, "--out", out)));
        c.add(new Case("train-classifier --out", Kind.OUT_DIR, (bad, out) -> a("train-classifier", "--data", run.dataSpec,
                "--out", bad, "--steps", "1", "--batch-size", "4")));

        c.add(new Case("encode --ae", Kind.DIR, (bad, out) -> a("encode", "--ae", bad, "--data", run.dataSpec, "--out", out)));
        c.add(new Case("encode --data", Kind.FILE, (bad, out) -> a("encode", "--ae", aeCheckpoint(), "--data", "idx:" + bad,
                "--out", out)));
        c.add(new Case("encode --out", Kind.OUT_DIR, (bad, out) -> a("encode", "--ae", aeCheckpoint(), "--data", run.dataSpec,
                "--out", bad)));

        c.add(new Case("reconstruct --ae", Kind.DIR, (bad, out) -> a("reconstruct", "--ae", bad, "--data", run.dataSpec,
                "--out", out + ".png")));
        c.add(new Case("reconstruct --data", Kind.FILE, (bad, out) -> a("reconstruct", "--ae", aeCheckpoint(), "--data",
                "idx:" + bad, "--out", out + ".png")));
        c.add(new Case("reconstruct --out", Kind.OUT_FILE, (bad, out) -> a("reconstruct", "--ae", aeCheckpoint(), "--data",
                run.dataSpec, "--out", bad, "--n", "2")));

        c.add(new Case("sample --run", Kind.DIR, (bad, out) -> sample(out, "--run", bad)));
        c.add(new Case("sample --ldm", Kind.DIR, (bad, out) -> sample(out, "--ldm", bad, "--ae", ae())));
        c.add(new Case("sample --ae", Kind.DIR,
                (bad, out) -> sample(out, "--ae", bad, "--ldm", run.diffusion().toString())));
        c.add(new Case("sample --vae-prior --ae", Kind.DIR, (bad, out) -> sample(out, "--vae-prior", "--ae", bad)));
        c.add(new Case("sample --vae-prior --data", Kind.FILE,
                (bad, out) -> sample(out, "--vae-prior", "--ae", ae(), "--data", "idx:" + bad)));
        c.add(new Case("sample --out", Kind.OUT_DIR, (bad, out) -> sample(bad, "--run", run.run.toString())));
        c.add(new Case("sample --png-dir", Kind.OUT_DIR,
                (bad, out) -> sample(out, "--run", run.run.toString(), "--png-dir", bad)));

        c.add(new Case("eval --samples", Kind.FILE, (bad, out) -> a("eval", "--samples", bad, "--data", run.dataSpec)));
        c.add(new Case("eval --data", Kind.FILE,
                (bad, out) -> a("eval", "--samples", samples.toString(), "--data", "idx:" + bad)));
        c.add(new Case("eval --classes", Kind.FILE, (bad, out) -> a("eval", "--samples", samples.toString(), "--data",
                run.dataSpec, "--classes", bad, "--out", out)));
        c.add(new Case("eval --classifier", Kind.DIR, (bad, out) -> a("eval", "--samples", samples.toString(), "--data",
                run.dataSpec, "--classifier", bad, "--out", out)));
        c.add(new Case("eval --out", Kind.OUT_DIR, (bad, out) -> a("eval", "--samples", samples.toString(), "--data",
                run.dataSpec, "--out", bad)));

        c.add(new Case("run CONFIG.yaml", Kind.FILE, (bad, out) -> a("run", bad, "--out", out)));
        c.add(new Case("run --out", Kind.OUT_DIR, (bad, out) -> a("run", preset.toString(), "--out", bad)));
        c.add(new Case("demo --config", Kind.FILE, (bad, out) -> a("demo", "--config", bad, "--out", out)));
        c.add(new Case("demo --out", Kind.OUT_DIR, (bad, out) -> a("demo", "--config", preset.toString(), "--out", bad)));
        return c.stream();
    }

    /** Each case with each of its bad paths. */
    static Stream<Arguments> casesAndPaths() {
        return cases().flatMap(c -> variants(c.kind()).stream().map(v -> Arguments.of(c, v)));
    }

    private static List<String> variants(Kind kind) {
        return switch (kind) {
            case FILE -> List.of("a directory", "missing", "unreadable");
            case DIR -> List.of("a file", "an empty directory", "missing", "unreadable");
            case OUT_FILE -> List.of("a directory", "under a file", "unwritable");
            case OUT_DIR -> List.of("a file", "under a file", "unwritable");
        };
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("casesAndPaths")
    void badPathIsOneLineNamingThePathAndWhatWasExpected(Case c, String variant) throws Exception {
        Path base = Files.createDirectories(dir.resolve("case-" + FRESH.incrementAndGet()));
        String fresh = base.resolve("fresh-out").toString();
        Path bad = badPath(base, c.kind(), variant);
        if (bad == null) {
            // root writes anywhere: no unwritable output to be had; the other variants still ran
            assertFalse(permissionsHold);
            return;
        }
        try {
            CliTestSupport.Result r = CliTestSupport.run(c.args().apply(bad.toString(), fresh));
            List<String> lines = r.err().lines().filter(l -> l.startsWith("ldm4j:")).toList();
            assertEquals(2, r.exitCode(), r.err());
            assertEquals(1, lines.size(), r.err());
            String line = lines.get(0);
            assertTrue(line.contains(bad.toString()), "names the path: " + line);
            assertTrue(line.contains(", expected "), "says what was expected: " + line);
            assertFalse(line.contains("--verbose"), "a bare error: " + line);
            if (variant.equals("unreadable") && permissionsHold) {
                assertTrue(line.contains("permission denied"), line);
            }
        } finally {
            Files.setPosixFilePermissions(bad.getParent(), PosixFilePermissions.fromString("rwx------"));
            if (Files.exists(bad)) {
                Files.setPosixFilePermissions(bad, PosixFilePermissions.fromString("rwx------"));
            }
        }
    }

    /** The bad path of {@code variant} for a flag of {@code kind}, made under {@code base}; null if none can be. */
    private static Path badPath(Path base, Kind kind, String variant) throws IOException {
        Path p = base.resolve("bad");
        switch (variant) {
            case "a directory", "an empty directory" -> Files.createDirectory(p);
            case "a file" -> Files.writeString(p, "not what was asked for");
            case "missing" -> { }
            case "under a file" -> {
                Files.writeString(p, "a file, not a folder");
                p = p.resolve(kind == Kind.OUT_FILE ? "x.png" : "x");
            }
            case "unreadable" -> {
                if (kind == Kind.FILE) {
                    Files.writeString(p, "x");
                    unreadable(p, "---------");
                } else {
                    Files.createDirectory(p);
                    unreadable(p, "---------");
                }
            }
            case "unwritable" -> {
                if (!permissionsHold) {
                    return null;
                }
                Path parent = Files.createDirectory(base.resolve("read-only"));
                Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("r-x------"));
                p = parent.resolve(kind == Kind.OUT_FILE ? "x.png" : "x");
            }
            default -> throw new IllegalArgumentException(variant);
        }
        return p;
    }

    /**
     * Takes read permission from {@code p}; where that does not stop this process, a file becomes a
     * socket and a directory gets a socket in place of every entry a command looks for.
     */
    private static void unreadable(Path p, String mode) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        if (permissionsHold) {
            return;
        }
        if (Files.isRegularFile(p)) {
            Files.delete(p);
            socket(p);
            return;
        }
        for (String name : List.of("checkpoint.json", "checkpoint", "latents.json", "diffusion", "autoencoder",
                "data_batch_1.bin", "image.png")) {
            socket(p.resolve(name));
        }
    }

    private static void socket(Path p) throws IOException {
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(p)); // the socket file outlives the channel
        }
    }

    private static String[] a(String... args) {
        return args;
    }

    private static String[] sample(String out, String... form) {
        List<String> args = new ArrayList<>(List.of("sample", "--out", out, "--n", "2", "--batch-size", "2",
                "--steps", "2"));
        args.addAll(List.of(form));
        return args.toArray(String[]::new);
    }

    /** The autoencoder's run directory, which sample takes. */
    private static String ae() {
        return run.autoencoder().toString();
    }

    /** Its checkpoint directory, which encode and reconstruct take. */
    private static String aeCheckpoint() {
        return run.autoencoder().resolve("checkpoint").toString();
    }

    private static String images() {
        return run.dataSpec.substring("idx:".length(), run.dataSpec.indexOf(','));
    }
}
