package ldm4j.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import ldm4j.core.io.Json;
import ldm4j.core.io.Npy;
import ldm4j.core.io.NpyArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * PSNR and SSIM against scikit-image: the image pairs and scikit-image's scores were written by
 * {@code scripts/ssim_reference.py} (see there for the exact calls), so no Python runs here.
 */
class ReconstructionMetricsReferenceTest {
    private static final String DIR = "/ldm4j/core/metrics/ssim-reference/";
    /** The issue asks for 1e-4; both sides compute in double, so they agree far closer. */
    private static final double TOLERANCE = 1e-9;

    static Stream<JsonNode> cases() {
        List<JsonNode> cases = new ArrayList<>();
        reference().get("cases").forEach(cases::add);
        return cases.stream();
    }

    static Stream<Arguments> namedCases() {
        return cases().map(c -> Arguments.of(c.get("name").asText(), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("namedCases")
    void matchesScikitImage(String name, JsonNode c) {
        NpyArray a = Npy.read(resource(c.get("a").asText()));
        NpyArray b = Npy.read(resource(c.get("b").asText()));
        int[] s = new int[4];
        for (int i = 0; i < 4; i++) {
            s[i] = c.get("shape").get(i).asInt();
        }
        double range = c.get("data_range").asDouble();
        assertEquals(a.dtype(), b.dtype());
        assertEquals(c.get("psnr").asDouble(), psnr(a, b, s, range), TOLERANCE, "PSNR");
        if (c.get("ssim").isNull()) {
            // scikit-image refuses images smaller than the window; so does ldm4j.
            assertThrows(IllegalArgumentException.class, () -> ssim(a, b, s, range));
        } else {
            assertEquals(c.get("ssim").asDouble(), ssim(a, b, s, range), TOLERANCE, "SSIM");
        }
    }

    /** uint8 pairs go through the uint8 overload (L = 255), float32 pairs through the float one. */
    private static double psnr(NpyArray a, NpyArray b, int[] s, double range) {
        return a.dtype().equals(NpyArray.UINT8)
                ? ReconstructionMetrics.psnr(a.data(), b.data(), s[0], s[1], s[2], s[3])
                : ReconstructionMetrics.psnr(a.toFloatArray(), b.toFloatArray(), s[0], s[1], s[2], s[3], range);
    }

    private static double ssim(NpyArray a, NpyArray b, int[] s, double range) {
        return a.dtype().equals(NpyArray.UINT8)
                ? ReconstructionMetrics.ssim(a.data(), b.data(), s[0], s[1], s[2], s[3])
                : ReconstructionMetrics.ssim(a.toFloatArray(), b.toFloatArray(), s[0], s[1], s[2], s[3], range);
    }

    /** The resources cover what they claim: grey and RGB, uint8 and float, the 11 × 11 edge, a refusal. */
    @Test
    void referenceCoversGreyRgbFloatAndTheWindowEdge() {
        List<JsonNode> cases = cases().toList();
        assertTrue(cases.stream().anyMatch(c -> c.get("shape").get(1).asInt() == 1));
        assertTrue(cases.stream().anyMatch(c -> c.get("shape").get(1).asInt() == 3));
        assertTrue(cases.stream().anyMatch(c -> c.get("dtype").asText().equals("float32")));
        assertTrue(cases.stream().anyMatch(c -> c.get("shape").get(2).asInt() == ReconstructionMetrics.SSIM_WINDOW));
        assertTrue(cases.stream().anyMatch(c -> c.get("ssim").isNull()));
    }

    private static JsonNode reference() {
        try (InputStream in = ReconstructionMetricsReferenceTest.class.getResourceAsStream(DIR + "reference.json")) {
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path resource(String name) {
        try {
            return Path.of(ReconstructionMetricsReferenceTest.class.getResource(DIR + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
