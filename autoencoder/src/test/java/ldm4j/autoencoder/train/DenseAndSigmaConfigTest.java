package ldm4j.autoencoder.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import ldm4j.autoencoder.LatentKind;
import ldm4j.autoencoder.Trunk;
import ldm4j.autoencoder.loss.ReconstructionLoss;
import ldm4j.core.InputException;
import ldm4j.core.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keys of issue 16 (model.latent, latent_dim, trunk, image_size; sigma) and the JSON they leave alone. */
class DenseAndSigmaConfigTest {
    @TempDir
    Path dir;

    /** The defaults' JSON as the code before these keys wrote it (captured from that build), byte for byte. */
    private static final String DEFAULTS_BEFORE = "{\"model\":{\"in_channels\":1,\"ch\":32,\"ch_mult\":[1,2,2],"
            + "\"num_res_blocks\":1,\"z_channels\":4,\"attention\":true,\"dropout\":0.0},\"loss\":\"L1\","
            + "\"beta\":1.0E-6,\"steps\":2000,\"batch_size\":32,\"lr\":0.001,\"min_lr\":1.0E-5,\"lr_decay\":\"COSINE\","
            + "\"warmup\":100,\"weight_decay\":0.0,\"clip\":1.0,\"ema\":false,\"ema_decay\":0.999,\"disc\":{\"enabled\":"
            + "false,\"start\":50001,\"weight\":0.5,\"channels\":64,\"layers\":3,\"lr\":4.5E-6},\"eval_every\":500,"
            + "\"eval_images\":1000,\"final_eval_images\":0,\"scale_images\":2000,\"checkpoint_every\":500,"
            + "\"log_every\":10,\"reconstruction_images\":16,\"seed\":0}";

    private static String compact(Object value) throws IOException {
        return Json.MAPPER.writer().withoutFeatures(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
    }

    @Test
    void aConvConfigsJsonIsByteIdenticalToBefore() throws IOException {
        // Byte-identical but for the choices' names (l1, cosine, grad_clip), which the run
        // fingerprints spell the old way (FingerprintSpelling): no dense or σ key appears.
        String now = DEFAULTS_BEFORE.replace("\"L1\"", "\"l1\"").replace("\"COSINE\"", "\"cosine\"")
                .replace("\"clip\"", "\"grad_clip\"");
        assertEquals(now, compact(AutoencoderTrainConfig.defaults(1)));
        // l2 at the default σ too: the key only appears when σ is not 1/√2
        AutoencoderTrainConfig l2 = TinyData.with(AutoencoderTrainConfig.defaults(1), "loss", ReconstructionLoss.L2);
        assertEquals(now.replace("\"l1\"", "\"l2\""), compact(l2));
        // and the old JSON reads back as the same config
        assertEquals(AutoencoderTrainConfig.defaults(1),
                AutoencoderTrainConfig.fromSidecar(Json.MAPPER.readTree(DEFAULTS_BEFORE), Path.of("sidecar")));
    }

    @Test
    void yamlReadsTheDenseKeysAndSigmaInLowerCase() throws IOException {
        Path yaml = dir.resolve("vae.yaml");
        Files.writeString(yaml, "loss: l2\nsigma: 0.1\nbeta: 1.0\nmodel:\n  latent: dense\n  latent_dim: 16\n");
        AutoencoderTrainConfig c = AutoencoderTrainConfig.resolve(AutoencoderTrainConfig.defaults(1), yaml, Map.of());
        assertEquals(LatentKind.DENSE, c.model().latent());
        assertEquals(16, c.model().latentDim());
        assertEquals(Trunk.CONV, c.model().trunk());
        assertEquals(0, c.model().imageSize());
        assertEquals(0.1, c.sigma());
        String json = compact(c);
        assertTrue(json.contains("\"sigma\":0.1") && json.contains("\"latent\":\"dense\"")
                && json.contains("\"latent_dim\":16"), json);
        assertEquals(c, AutoencoderTrainConfig.fromSidecar(Json.MAPPER.readTree(json), Path.of("sidecar")));

        AutoencoderTrainConfig sized = c.withImageSize(32);
        assertEquals(32, sized.model().imageSize());
        assertSame(sized, sized.withImageSize(32));
        assertThrows(IllegalArgumentException.class, () -> sized.withImageSize(28));
        AutoencoderTrainConfig conv = AutoencoderTrainConfig.defaults(1);
        assertSame(conv, conv.withImageSize(32), "a conv config takes any size and records none");

        Files.writeString(yaml, "model:\n  latent: dense\n  trunk: none\n");
        AutoencoderTrainConfig linear = AutoencoderTrainConfig.resolve(AutoencoderTrainConfig.defaults(1), yaml, Map.of());
        assertEquals(Trunk.NONE, linear.model().trunk());
    }

    @Test
    void sigmaIsRefusedWhereItMeansNothingOrIsNotPositive() throws IOException {
        Path yaml = dir.resolve("bad.yaml");
        Files.writeString(yaml, "loss: nll\nsigma: 0.1\n");
        InputException e = assertThrows(InputException.class,
                () -> AutoencoderTrainConfig.resolve(AutoencoderTrainConfig.defaults(1), yaml, Map.of()));
        assertTrue(e.getMessage().contains("sigma applies to loss l2 only"), e.getMessage());
        Files.writeString(yaml, "loss: l2\nsigma: 0\n");
        e = assertThrows(InputException.class,
                () -> AutoencoderTrainConfig.resolve(AutoencoderTrainConfig.defaults(1), yaml, Map.of()));
        assertTrue(e.getMessage().contains("sigma must be finite and > 0"), e.getMessage());
        Files.writeString(yaml, "model:\n  latent_dim: 8\n");
        e = assertThrows(InputException.class,
                () -> AutoencoderTrainConfig.resolve(AutoencoderTrainConfig.defaults(1), yaml, Map.of()));
        assertTrue(e.getMessage().contains("latent_dim applies to latent: dense only"), e.getMessage());
    }
}
