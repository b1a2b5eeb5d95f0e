package ldm4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import ldm4j.core.data.Dataset;
import ldm4j.core.data.DatasetStore;
import ldm4j.core.io.Json;
import ldm4j.core.io.Npy;
import ldm4j.core.io.NpyArray;
import ldm4j.pipeline.eval.ClassifierConfig;
import ldm4j.pipeline.eval.ClassifierTrainingConfig;
import ldm4j.pipeline.eval.FeatureNetworks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sample --run | --ae --ldm | --vae-prior} and {@code eval} on the shared tiny run. */
class PipelineCommandsTest {
    private static final String CLASSIFIER_STEPS = "3";

    @TempDir
    static Path dir;

    private static TinyLatentRun fixture;
    private static Path runSamples;

    @BeforeAll
    static void sampleTheRun() {
        fixture = TinyLatentRun.get();
        runSamples = dir.resolve("run-samples");
        CliTestSupport.Result r = sample(runSamples, "--run", fixture.run.toString(), "--png-dir",
                dir.resolve("pngs").toString());
        assertEquals(0, r.exitCode(), r.err());
    }

    private static CliTestSupport.Result sample(Path out, String... form) {
        String[] common = {"sample", "--out", out.toString(), "--n", "5", "--batch-size", "2", "--steps", "2",
            "--guidance", "1.5", "--seed", "2"};
        String[] args = new String[common.length + form.length];
        System.arraycopy(common, 0, args, 0, common.length);
        System.arraycopy(form, 0, args, common.length, form.length);
        return CliTestSupport.run(args);
    }

    @Test
    void sampleRunWritesGridUint8SamplesLabelsAndSinglePngs() {
        NpyArray samples = Npy.read(runSamples.resolve("samples.npy"));
        assertEquals(NpyArray.UINT8, samples.dtype());
        assertArrayEquals(new long[] {5, 1, 16, 16}, samples.shape());
        NpyArray labels = Npy.read(runSamples.resolve("labels.npy"));
        assertEquals(NpyArray.INT32, labels.dtype());
        assertArrayEquals(new int[] {0, 1, 2, 0, 1}, labels.toIntArray());
        assertTrue(Files.isRegularFile(runSamples.resolve("grid.png")));
        for (int i = 0; i < 5; i++) {
            assertTrue(Files.isRegularFile(dir.resolve("pngs").resolve(String.format("%05d.png", i))), "png " + i);
        }
    }

    @Test
    void sampleAeLdmGivesTheSameImagesAsSampleRun() {
        Path out = dir.resolve("ae-ldm");
        CliTestSupport.Result r = sample(out, "--ae", fixture.autoencoder().toString(), "--ldm",
                fixture.diffusion().toString());
        assertEquals(0, r.exitCode(), r.err());
        assertArrayEquals(Npy.read(runSamples.resolve("samples.npy")).data(), Npy.read(out.resolve("samples.npy")).data());
    }

    @Test
    void sampleVaePriorWritesUnlabelledSamplesOfTheTrainingDataShape() {
        Path out = dir.resolve("prior");
        CliTestSupport.Result r = sample(out, "--vae-prior", "--ae", fixture.autoencoder().toString());
        assertEquals(0, r.exitCode(), r.err());
        assertArrayEquals(new long[] {5, 1, 16, 16}, Npy.read(out.resolve("samples.npy")).shape());
        assertTrue(Files.isRegularFile(out.resolve("grid.png")));
        assertFalse(Files.exists(out.resolve("labels.npy")), "no classes were requested");
    }

    @Test
    void sampleOfAMismatchedPairIsOneLineAndExitTwo() {
        CliTestSupport.Result r = sample(dir.resolve("never"), "--ae", fixture.otherChannels.toString(), "--ldm",
                fixture.diffusion().toString());
        assertEquals(2, r.exitCode(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("2-channel"), r.err());
    }

    @Test
    void sampleWithoutAModelSaysWhichFormsExist() {
        CliTestSupport.Result r = CliTestSupport.run("sample", "--out", dir.resolve("none").toString());
        assertEquals(2, r.exitCode(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("--run") && r.err().contains("--vae-prior"), r.err());
    }

    @Test
    void evalScoresChannelsFirstAndChannelsLastAlikeAndWritesMetricsJson() throws IOException {
        Dataset data = DatasetStore.atDefaultLocation().open(fixture.dataSpec);
        boolean cachedBefore = FeatureNetworks.atDefaultLocation().isCached(data, ClassifierConfig.forData(data.info()),
                ClassifierTrainingConfig.defaults().withSteps(Long.parseLong(CLASSIFIER_STEPS)));
        Path samples = runSamples.resolve("samples.npy");
        CliTestSupport.Result first = CliTestSupport.run("eval", "--samples", samples.toString(), "--data",
                fixture.dataSpec, "--classifier-steps", CLASSIFIER_STEPS);
        assertEquals(0, first.exitCode(), first.err());
        assertEquals(!cachedBefore, first.out().contains("training one first"), first.out());
        assertTrue(first.out().contains("using the requested classes in"), first.out());
        assertTrue(first.out().contains("FD "), first.out());
        JsonNode nchw = Json.readTree(runSamples.resolve("metrics.json"));
        assertTrue(nchw.get("fd").isNumber() && nchw.get("classAccuracy").isNumber(), nchw.toString());
        double unplaceable = nchw.get("unplaceableShare").asDouble(-1);
        assertTrue(unplaceable >= 0 && unplaceable <= 1, nchw.toString());
        assertTrue(first.out().contains(String.format(java.util.Locale.ROOT, "unplaceable %.3f (top class p < 0.5)",
                unplaceable)), first.out());
        assertEquals(5, nchw.get("samples").asInt());

        // the same images as N×H×W×C, scored into another folder
        NpyArray a = Npy.read(samples);
        byte[] nhwc = a.data().clone(); // C = 1: the bytes are the same, only the shape moves
        Path last = dir.resolve("nhwc.npy");
        Npy.write(last, NpyArray.ofUint8(nhwc, 5, 16, 16, 1));
        Path out = dir.resolve("eval-nhwc");
        CliTestSupport.Result second = CliTestSupport.run("eval", "--samples", last.toString(), "--data",
                fixture.dataSpec, "--classifier-steps", CLASSIFIER_STEPS, "--classes",
                runSamples.resolve("labels.npy").toString(), "--out", out.toString());
        assertEquals(0, second.exitCode(), second.err());
        assertFalse(second.out().contains("training one first"), second.out());
        JsonNode hwc = Json.readTree(out.resolve("metrics.json"));
        assertEquals(nchw.get("fd").asDouble(), hwc.get("fd").asDouble(), 1e-9);
        assertEquals(nchw.get("classAccuracy").asDouble(), hwc.get("classAccuracy").asDouble());
        assertEquals(unplaceable, hwc.get("unplaceableShare").asDouble());
    }

    @Test
    void evalOfAWrongShapeIsOneLineAndExitTwo() throws IOException {
        Path bad = dir.resolve("bad.npy");
        Npy.write(bad, NpyArray.ofUint8(new byte[2 * 8 * 8], 2, 1, 8, 8));
        CliTestSupport.Result r = CliTestSupport.run("eval", "--samples", bad.toString(), "--data", fixture.dataSpec,
                "--classifier-steps", CLASSIFIER_STEPS);
        assertEquals(2, r.exitCode(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("bad.npy") && r.err().contains("[2, 1, 8, 8]"), r.err());
    }
}
