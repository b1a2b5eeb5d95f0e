package ldm4j.pipeline.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import ldm4j.core.InputException;
import ldm4j.core.data.Dataset;
import ldm4j.core.data.UInt8Images;
import ldm4j.core.io.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SampleEvaluator on {@link TinySquares} with a briefly trained feature network. */
class SampleEvaluatorTest {
    @TempDir
    static Path dir;

    static Dataset data;
    static FeatureNetwork net;
    static SampleEvaluator evaluator;
    static UInt8Images test;

    @BeforeAll
    static void trainAndLoad() throws IOException {
        data = TinySquares.open(dir, 40);
        ClassifierTrainer.train(data, TinySquares.model(), TinySquares.training().withSteps(60), Device.cpu(),
                dir.resolve("clf"));
        net = FeatureNetwork.load(dir.resolve("clf"), Device.cpu());
        evaluator = new SampleEvaluator(net, data);
        test = data.test().raw(IntStream.range(0, data.test().size()).toArray());
    }

    @AfterAll
    static void close() {
        net.close();
    }

    @Test
    void realImagesScoreASmallFdAndNoiseAFarLargerOne() {
        SampleMetrics realTest = evaluator.evaluate(test, null);
        UInt8Images train = data.train().first(test.count());
        SampleMetrics realTrain = evaluator.evaluate(train, null);
        SampleMetrics noise = evaluator.evaluate(noise(test.count(), 5), null);
        assertEquals(0, realTest.fd(), 1e-6 * noise.fd(), "the test split against its own statistics");
        assertTrue(realTrain.fd() < noise.fd() / 10, realTrain.fd() + " vs noise " + noise.fd());
        assertTrue(noise.fdLow() <= noise.fdHigh() && noise.fdHigh() < 2 * noise.fd() && noise.fdLow() > 0,
                noise.fdLow() + "–" + noise.fdHigh() + " around " + noise.fd());
        assertEquals(test.count(), realTest.referenceImages());
    }

    /** rFD pairs each image with its own reconstruction: a perfect one scores 0, noise far more. */
    @Test
    void reconstructionFdIsZeroForPerfectReconstructionsAndLargeForNoise() {
        assertEquals(0, evaluator.reconstructionFd(test, test), 1e-9);
        UInt8Images noise = noise(test.count(), 11);
        double bad = evaluator.reconstructionFd(test, noise);
        UInt8Images shuffledTrain = data.train().first(test.count());
        double otherImages = evaluator.reconstructionFd(test, shuffledTrain);
        assertTrue(bad > 10 * otherImages && otherImages > 0, "noise " + bad + ", other real images " + otherImages);
        assertThrows(InputException.class, () -> evaluator.reconstructionFd(test, data.test().first(2)));
    }

    @Test
    void theTestSplitAgainstItselfHasFullPrecisionAndRecall() {
        SampleMetrics m = evaluator.evaluate(test, null);
        assertEquals(1.0, m.precision());
        assertEquals(1.0, m.recall());
        assertEquals(3, m.k());
        assertEquals(test.count(), m.precisionRecallImages());
    }

    @Test
    void classAccuracyIsTheShareOfSamplesTheNetworkPredictsAsRequested() {
        int[] predicted = net.predict(test);
        long agree = IntStream.range(0, test.count()).filter(i -> predicted[i] == test.label(i)).count();
        SampleMetrics m = evaluator.evaluate(test, test.labels());
        assertEquals((double) agree / test.count(), m.classAccuracy(), 1e-12);
        int[] asPredicted = predicted.clone();
        assertEquals(1.0, evaluator.evaluate(test, asPredicted).classAccuracy(), "requesting what it predicts");
        assertNull(evaluator.evaluate(test, null).classAccuracy(), "no classes, no class accuracy");
        int[] unconditional = new int[test.count()];
        java.util.Arrays.fill(unconditional, -1);
        assertNull(evaluator.evaluate(test, unconditional).classAccuracy(), "label -1: unconditional samples");
    }

    @Test
    void theUnplaceableShareIsMeasuredWithOrWithoutClassesFromTheNetworksProbabilities() {
        // Two squares, at the left and the right: images between classes, which the network gives
        // about half its belief; some fall below one half. Real test images it places.
        UInt8Images between = twoSquares(test.count(), 1);
        float[] top = net.classify(between).topProbability();
        long below = IntStream.range(0, top.length).filter(i -> top[i] < 0.5).count();
        assertTrue(below > 0 && below < top.length, below + " of " + top.length + " below 0.5");
        double expected = (double) below / top.length;
        SampleMetrics unconditional = evaluator.evaluate(between, null);
        assertEquals(expected, unconditional.unplaceableShare(), 0);
        assertEquals(expected, evaluator.evaluate(between, test.labels()).unplaceableShare(), 0);
        assertTrue(unconditional.summary().contains(String.format(java.util.Locale.ROOT, "unplaceable %.3f (top class"
                + " p < 0.5)", expected)), unconditional.summary());

        ClassPredictions real = net.classify(test);
        assertArrayEquals(net.predict(test), real.classes());
        assertEquals(real.unplaceableShare(), evaluator.evaluate(test, null).unplaceableShare(), 0);
        assertTrue(real.unplaceableShare() < expected, "real " + real.unplaceableShare() + " vs " + expected);
    }

    /** Squares of class 0 and of the last class in one image (the brighter pixel of each). */
    private static UInt8Images twoSquares(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int size = TinySquares.SIDE * TinySquares.SIDE;
        byte[] pixels = new byte[n * size];
        for (int i = 0; i < n; i++) {
            byte[] a = TinySquares.squareImage(0, random);
            byte[] b = TinySquares.squareImage(TinySquares.CLASSES - 1, random);
            for (int j = 0; j < size; j++) {
                pixels[i * size + j] = (byte) Math.max(a[j] & 0xFF, b[j] & 0xFF);
            }
        }
        return new UInt8Images(n, 1, TinySquares.SIDE, TinySquares.SIDE, pixels, null);
    }

    @Test
    void blurredImagesAreLessSharpThanRealOnesAndRealOnesScoreOne() {
        assertEquals(1.0, evaluator.evaluate(test, null).sharpness(), 1e-12);
        SampleMetrics blurred = evaluator.evaluate(boxBlur(test), null);
        assertTrue(blurred.sharpness() < 1, "relative sharpness " + blurred.sharpness());
    }

    @Test
    void referenceStatisticsAreCachedNextToTheNetworkAndReused() {
        GaussianStats first = evaluator.referenceStats();
        Path file = evaluator.referenceStatsFile();
        assertTrue(Files.isRegularFile(file), file.toString());
        assertEquals(net.checkpoint().getParent(), file.getParent());
        assertEquals(first, Json.read(file, GaussianStats.class));
        assertEquals(first, new SampleEvaluator(net, data).referenceStats());
    }

    @Test
    void imagesOfAnotherShapeAreOneClearError() {
        UInt8Images small = new UInt8Images(2, 1, 8, 8, new byte[128], null);
        InputException e = assertThrows(InputException.class, () -> evaluator.evaluate(small, null));
        assertTrue(e.getMessage().contains("1×8×8") && e.getMessage().contains("1×16×16"), e.getMessage());
    }

    @Test
    void nonFiniteScoresAreWrittenAsJsonNull() throws JsonProcessingException {
        SampleMetrics m = new SampleMetrics(1, "toy", "net", 10, Double.NaN, null, Double.NaN, Double.POSITIVE_INFINITY, 0.5, 3, 4,
                null, Double.NaN, 0.9, 1.0, 2.0);
        String json = Json.MAPPER.writeValueAsString(m);
        assertTrue(json.contains("\"fd\" : null") && json.contains("\"precision\" : null")
                && json.contains("\"unplaceableShare\" : null"), json);
        assertEquals(m, Json.MAPPER.readValue(json, SampleMetrics.class));
    }

    @Test
    void fewerSamplesThanNeighboursLeavePrecisionRecallAndFdUnmeasured() {
        UInt8Images one = data.test().first(1);
        SampleMetrics m = evaluator.evaluate(one, null);
        assertNull(m.fd());
        assertNull(m.fdLow());
        assertNull(m.precision());
        assertEquals(0, m.precisionRecallImages());
        assertArrayEquals(new long[] {1, 1, 16, 16}, one.shape());
    }

    private static UInt8Images noise(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] pixels = new byte[n * TinySquares.SIDE * TinySquares.SIDE];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) random.nextInt(256);
        }
        return new UInt8Images(n, 1, TinySquares.SIDE, TinySquares.SIDE, pixels, null);
    }

    /** 3×3 box blur with clamped borders. */
    private static UInt8Images boxBlur(UInt8Images images) {
        int s = TinySquares.SIDE;
        byte[] in = images.pixels();
        byte[] out = new byte[in.length];
        for (int i = 0; i < images.count(); i++) {
            for (int y = 0; y < s; y++) {
                for (int x = 0; x < s; x++) {
                    int sum = 0;
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            int yy = Math.min(s - 1, Math.max(0, y + dy));
                            int xx = Math.min(s - 1, Math.max(0, x + dx));
                            sum += in[i * s * s + yy * s + xx] & 0xFF;
                        }
                    }
                    out[i * s * s + y * s + x] = (byte) Math.round(sum / 9.0);
                }
            }
        }
        return new UInt8Images(images.count(), 1, s, s, out, images.labels());
    }
}
