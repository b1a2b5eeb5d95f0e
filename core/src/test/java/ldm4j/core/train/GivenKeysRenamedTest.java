package ldm4j.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import ldm4j.core.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A renamed key reads under its new name, from a file or a flag, and is reported where it was set. */
class GivenKeysRenamedTest {
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Clipped(double gradClip, double beta) {}

    private static final Clipped DEFAULTS = new Clipped(1.0, 1e-6);

    @TempDir
    Path dir;

    @Test
    void theOldNameInAFileReadsAsTheNewOneSetByTheFile() throws Exception {
        Path yaml = Files.writeString(dir.resolve("c.yaml"), "clip: 0.5\n");
        GivenKeys g = GivenKeys.file(yaml).renamed("clip", "grad_clip");
        assertEquals(new Clipped(0.5, 1e-6), g.resolve(DEFAULTS, Clipped.class, t -> t));
        assertEquals(Optional.of(yaml.toString()), g.source("grad_clip"));
        assertEquals(Optional.empty(), g.source("clip"));
        assertFalse(g.byFlag("grad_clip"));
        assertEquals(g.source("grad_clip"), g.renamed("clip", "grad_clip").source("grad_clip"), "a second call changes nothing");
    }

    @Test
    void theOldNameAsAFlagKeepsTheFlagAsItsSource() {
        GivenKeys g = GivenKeys.none().flag("--clip", "clip", 0.25).renamed("clip", "grad_clip");
        assertEquals(new Clipped(0.25, 1e-6), g.resolve(DEFAULTS, Clipped.class, t -> t));
        assertEquals(Optional.of("--clip"), g.source("grad_clip"));
        assertTrue(g.byFlag("grad_clip"));
    }

    @Test
    void aFlagWithTheNewNameBeatsTheFileWithTheOld() throws Exception {
        Path yaml = Files.writeString(dir.resolve("c.yaml"), "clip: 0.5\n");
        GivenKeys g = GivenKeys.file(yaml).flag("--grad-clip", "grad_clip", 0.125).renamed("clip", "grad_clip");
        assertEquals(new Clipped(0.125, 1e-6), g.resolve(DEFAULTS, Clipped.class, t -> t));
        assertEquals(Optional.of("--grad-clip"), g.source("grad_clip"));
    }

    @Test
    void bothNamesInOneSectionIsOneLineNamingIt() throws Exception {
        Path yaml = Files.writeString(dir.resolve("run.yaml"), "autoencoder: {clip: 0.5, grad_clip: 0.5}\n");
        GivenKeys g = GivenKeys.section(yaml, ldm4j.core.io.Json.readYamlTree(yaml).get("autoencoder"), "autoencoder");
        InputException e = assertThrows(InputException.class, () -> g.renamed("clip", "grad_clip"));
        assertEquals(yaml + ": autoencoder.clip: sets both clip and grad_clip; clip is the old name of grad_clip,"
                + " keep only grad_clip", e.getMessage());
    }
}
