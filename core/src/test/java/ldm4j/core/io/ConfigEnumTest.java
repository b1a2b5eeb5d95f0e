package ldm4j.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.nio.file.Files;
import java.nio.file.Path;
import ldm4j.core.InputException;
import ldm4j.core.train.LrSchedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ConfigEnumTest {
    /** A choice whose ids are not its Java names, like the samplers'. */
    enum Flavour implements ConfigEnum {
        PLAIN("plain"),
        DPMPP_2M("dpm++2m");

        private final String id;

        Flavour(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }
    }

    /** A plain enum: Jackson's own rules, untouched by the module. */
    enum Plain { ONE, TWO }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Choices(Flavour flavour, LrSchedule.Decay lrDecay, Plain plain) {}

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void everyConstantIsWrittenAsItsIdAndReadBack(Flavour f) throws Exception {
        assertEquals("\"" + f.id() + "\"", Json.MAPPER.writeValueAsString(f));
        assertEquals(f.id() + "\n", Json.YAML.writeValueAsString(f).replace("\"", ""));
        assertSame(f, Json.MAPPER.readValue("\"" + f.id() + "\"", Flavour.class));
        assertSame(f, Json.YAML.readValue(f.id(), Flavour.class));
    }

    @ParameterizedTest
    @EnumSource(LrSchedule.Decay.class)
    void decayRoundTripsItsLowerCaseName(LrSchedule.Decay d) throws Exception {
        assertEquals(d.name().toLowerCase(java.util.Locale.ROOT), d.id());
        assertEquals("\"" + d.id() + "\"", Json.MAPPER.writeValueAsString(d));
        assertSame(d, Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(d), LrSchedule.Decay.class));
    }

    @Test
    void readingIgnoresCaseAndBlanksAndTakesTheJavaName() {
        assertSame(Flavour.DPMPP_2M, ConfigEnum.find(Flavour.class, " DPM++2M "));
        assertSame(Flavour.DPMPP_2M, ConfigEnum.find(Flavour.class, "dpmpp_2m"));
        assertSame(LrSchedule.Decay.COSINE, ConfigEnum.find(LrSchedule.Decay.class, "COSINE"));
        assertNull(ConfigEnum.find(Flavour.class, "dpm"));
        assertNull(ConfigEnum.find(Flavour.class, null));
    }

    @Test
    void parseOfAnUnknownNameIsOneLineListingTheIds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigEnum.parse(Flavour.class, "dpm"));
        assertEquals("expected one of plain, dpm++2m, got 'dpm'", e.getMessage());
    }

    @Test
    void unknownNameInAFileNamesFileKeyLineAndTheIds() throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "flavour: plain\nlr_decay: linear\n");
        InputException e = assertThrows(InputException.class, () -> Json.readYaml(f, Choices.class));
        assertEquals(f + ": bad value 'linear' for 'lr_decay' at line 2, expected one of constant, cosine",
                e.getMessage());
    }

    @Test
    void unknownNameOfAPlainEnumListsItsConstants() throws Exception {
        Path f = dir.resolve("c.json");
        Files.writeString(f, "{\"plain\": \"three\"}");
        InputException e = assertThrows(InputException.class, () -> Json.read(f, Choices.class));
        assertEquals(f + ": bad value 'three' for 'plain' at line 1, expected one of ONE, TWO", e.getMessage());
    }

    @Test
    void aNumberWhereANameBelongsIsOneLineNamingTheKey() throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "flavour: 3\n");
        InputException e = assertThrows(InputException.class, () -> Json.readYaml(f, Choices.class));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().startsWith(f + ": bad value for 'flavour' at line 1"), e.getMessage());
    }

    @Test
    void nullStaysNull() throws Exception {
        assertNull(Json.MAPPER.readValue("{\"flavour\": null}", Choices.class).flavour());
    }
}
