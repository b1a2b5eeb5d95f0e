package ldm4j.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import ldm4j.core.InputException;
import org.junit.jupiter.api.Test;

class DataSourceTest {
    @Test
    void namesAndSpecsParseToTheirSources() {
        assertEquals(new DataSource.Named(BuiltinDataset.EMOJI), DataSource.parse("emoji"));
        assertEquals(new DataSource.Idx(Path.of("a.gz"), Path.of("b"), 0), DataSource.parse("idx:a.gz,b"));
        assertEquals(new DataSource.Idx(Path.of("a"), null, 48), DataSource.parse("idx:a?size=48"));
        assertEquals(new DataSource.Cifar10(Path.of("/data/cifar")), DataSource.parse("cifar10:/data/cifar"));
        assertEquals(new DataSource.Folder(Path.of("pics"), 64, 3), DataSource.parse("folder:pics"));
        assertEquals(new DataSource.Folder(Path.of("pics"), 32, 1), DataSource.parse("folder:pics?size=32&channels=1"));
    }

    @Test
    void specTextParsesBackToTheSameSource() {
        for (String s : new String[] {"mnist", "idx:x,y?size=40", "cifar10:c", "folder:f?size=16&channels=1"}) {
            DataSource source = DataSource.parse(s);
            assertEquals(source, DataSource.parse(source.spec()));
        }
    }

    @Test
    void badNamesAndOptionsAreOneLineErrors() {
        assertTrue(assertThrows(InputException.class, () -> DataSource.parse("cifar100"))
                .getMessage().startsWith("unknown dataset 'cifar100'; known: fashion-mnist, mnist, emoji"));
        assertTrue(assertThrows(InputException.class, () -> DataSource.parse("folder:x?channels=4"))
                .getMessage().contains("channels must be 1 or 3"));
        assertTrue(assertThrows(InputException.class, () -> DataSource.parse("folder:x?size=big"))
                .getMessage().contains("size must be a positive integer"));
        assertTrue(assertThrows(InputException.class, () -> DataSource.parse("folder:x?colour=1"))
                .getMessage().contains("unknown option 'colour'"));
        assertTrue(assertThrows(InputException.class, () -> DataSource.parse("tfrecord:x"))
                .getMessage().contains("unknown kind 'tfrecord'"));
    }
}
