package ldm4j.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import ldm4j.core.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonTest {
    /** A config the way the real ones look: a record that validates itself. */
    record TinyConfig(int ch, double beta, List<Integer> chMult) {
        TinyConfig {
            if (ch <= 0) {
                throw new IllegalArgumentException("ch must be > 0, got " + ch);
            }
        }
    }

    record Outer(String name, TinyConfig autoencoder) {}

    /** Keys in snake_case, as the stage configs write them. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record SnakeConfig(int ch, List<Integer> chMult, int numResBlocks) {}

    @TempDir
    Path dir;

    @Test
    void yamlTypoNamesFileKeyAndLine() throws Exception {
        Path f = dir.resolve("config.yaml");
        Files.writeString(f, "ch: 32\nchMult: [1, 2]\nbetta: 1.0e-6\n");
        InputException e = assertThrows(InputException.class, () -> Json.readYaml(f, TinyConfig.class));
        assertEquals(f + ": unknown key 'betta' at line 3 (known keys: beta, ch, chMult)", e.getMessage());
    }

    @Test
    void nestedTypoGivesDottedPath() throws Exception {
        Path f = dir.resolve("config.yaml");
        Files.writeString(f, "name: x\nautoencoder:\n  ch: 32\n  bta: 1\n");
        InputException e = assertThrows(InputException.class, () -> Json.readYaml(f, Outer.class));
        assertEquals(f + ": unknown key 'autoencoder.bta' at line 4 (known keys: beta, ch, chMult)", e.getMessage());
    }

    @Test
    void recordValidationMessageReachesTheUser() throws Exception {
        Path f = dir.resolve("config.yaml");
        Files.writeString(f, "ch: 0\nbeta: 1\nchMult: [1]\n");
        InputException e = assertThrows(InputException.class, () -> Json.readYaml(f, TinyConfig.class));
        assertEquals(f + ": ch must be > 0, got 0", e.getMessage());
        Path nested = dir.resolve("outer.yaml");
        Files.writeString(nested, "name: x\nautoencoder:\n  ch: -1\n");
        assertEquals(nested + ": in 'autoencoder': ch must be > 0, got -1",
                assertThrows(InputException.class, () -> Json.readYaml(nested, Outer.class)).getMessage());
    }

    @Test
    void wrongTypeNamesTheKey() throws Exception {
        Path f = dir.resolve("config.yaml");
        Files.writeString(f, "ch: lots\n");
        InputException e = assertThrows(InputException.class, () -> Json.readYaml(f, TinyConfig.class));
        assertEquals(f + ": bad value 'lots' for 'ch' at line 1, expected int", e.getMessage());
    }

    @Test
    void brokenJsonAndMissingFileAreInputErrors() throws Exception {
        Path f = dir.resolve("c.json");
        Files.writeString(f, "{\"ch\": 3,\n \"beta\": }");
        InputException e = assertThrows(InputException.class, () -> Json.read(f, TinyConfig.class));
        assertEquals(true, e.getMessage().startsWith(f + ": not valid at line 2: "), e.getMessage());
        Path missing = dir.resolve("nope.json");
        assertEquals(missing + ": does not exist, expected a JSON file",
                assertThrows(InputException.class, () -> Json.readTree(missing)).getMessage());
        assertEquals(dir + ": is a directory, expected a YAML file",
                assertThrows(InputException.class, () -> Json.readYamlTree(dir)).getMessage());
    }

    @Test
    void writeThenReadGivesTheSameRecord() throws Exception {
        TinyConfig c = new TinyConfig(8, 1e-6, List.of(1, 2, 2));
        Json.write(dir.resolve("c.json"), c);
        Json.writeYaml(dir.resolve("c.yaml"), c);
        assertEquals(c, Json.read(dir.resolve("c.json"), TinyConfig.class));
        assertEquals(c, Json.readYaml(dir.resolve("c.yaml"), TinyConfig.class));
    }

    @Test
    void otherSpellingOfAKnownKeyIsSuggestedInsteadOfTheList() throws Exception {
        Path f = dir.resolve("config.yaml");
        Files.writeString(f, "ch: 32\nchMult: [1, 2]\n");
        InputException e = assertThrows(InputException.class, () -> Json.readYaml(f, SnakeConfig.class));
        assertEquals(f + ": unknown key 'chMult' at line 2 (did you mean 'ch_mult'?)", e.getMessage());
        assertEquals("num_res_blocks", Json.nearMiss("Num-Res-Blocks", List.of("ch", "ch_mult", "num_res_blocks")));
        assertEquals(null, Json.nearMiss("chMul", List.of("ch", "ch_mult")));
    }

    @Test
    void sectionErrorsGiveTheKeyPathAndLineInTheWholeFile() throws Exception {
        Path f = dir.resolve("run.yaml");
        Files.writeString(f, "name: x\nautoencoder:\n  model:\n    ch: 8\n    numResBlocks: 1\n");
        JsonNode model = Json.readYamlTree(f).get("autoencoder").get("model");
        InputException e = assertThrows(InputException.class,
                () -> Json.convert(model, SnakeConfig.class, f, "autoencoder.model"));
        assertEquals(f + ": unknown key 'autoencoder.model.numResBlocks' at line 5 (did you mean 'num_res_blocks'?)",
                e.getMessage());
        JsonNode bad = Json.MAPPER.readTree("{\"ch\": -1}");
        assertEquals(f + ": in 'autoencoder': ch must be > 0, got -1", assertThrows(InputException.class,
                () -> Json.convert(bad, TinyConfig.class, f, "autoencoder")).getMessage());
    }
}
