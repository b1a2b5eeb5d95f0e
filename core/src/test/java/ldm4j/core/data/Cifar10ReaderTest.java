package ldm4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import ldm4j.core.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10ReaderTest {
    @TempDir
    Path dir;

    private void writeBatches() throws Exception {
        for (int b = 1; b <= 5; b++) {
            Files.write(dir.resolve("data_batch_" + b + ".bin"), TestFiles.cifarBatch(b * 10, b, b + 1));
        }
        Files.write(dir.resolve("test_batch.bin"), TestFiles.cifarBatch(100, 7, 8, 9));
    }

    @Test
    void tinyBatchesReadInOrderWithTheTestBatchAsTestSplit() throws Exception {
        writeBatches();
        PreparedData data = Cifar10Reader.read(new DataSource.Cifar10(dir), ProgressListener.NONE);
        UInt8Images img = data.images();
        assertArrayEquals(new long[] {13, 3, 32, 32}, img.shape());
        assertArrayEquals(new int[] {1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 7, 8, 9}, img.labels());
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1}, data.presetSplit());
        // record 1 of batch 2 is filled with 21; record 2 of the test batch with 102
        assertTrue(allEqual(img.image(3), (byte) 21));
        assertTrue(allEqual(img.image(12), (byte) 102));
        assertEquals("airplane", data.classNames().get(0));
    }

    @Test
    void truncatedBatchIsRefusedNamingTheFile() throws Exception {
        writeBatches();
        Path f = dir.resolve("data_batch_3.bin");
        byte[] b = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(b, b.length - 1));
        InputException e = assertThrows(InputException.class,
                () -> Cifar10Reader.read(new DataSource.Cifar10(dir), ProgressListener.NONE));
        assertTrue(e.getMessage().startsWith(f + ": truncated"), e.getMessage());
    }

    @Test
    void missingBatchIsRefusedNamingTheFile() throws Exception {
        writeBatches();
        Files.delete(dir.resolve("test_batch.bin"));
        InputException e = assertThrows(InputException.class,
                () -> Cifar10Reader.read(new DataSource.Cifar10(dir), ProgressListener.NONE));
        assertTrue(e.getMessage().startsWith(dir.resolve("test_batch.bin") + ": does not exist, expected a CIFAR-10 batch"),
                e.getMessage());
    }

    @Test
    void batchThatIsADirectoryAndAMetaFileFarTooLongAreRefusedNamingThem() throws Exception {
        writeBatches();
        Path meta = dir.resolve("batches.meta.txt");
        Files.write(meta, new byte[1 << 20]); // a megabyte of NULs is no list of ten names
        InputException e = assertThrows(InputException.class,
                () -> Cifar10Reader.read(new DataSource.Cifar10(dir), ProgressListener.NONE));
        assertTrue(e.getMessage().startsWith(meta + ": longer than 65536 bytes"), e.getMessage());

        Path batch = dir.resolve("data_batch_2.bin");
        Files.delete(batch);
        Files.createDirectory(batch);
        e = assertThrows(InputException.class,
                () -> Cifar10Reader.read(new DataSource.Cifar10(dir), ProgressListener.NONE));
        assertEquals(batch + ": is a directory, expected a CIFAR-10 batch of 3073-byte records (cifar10: needs "
                + "data_batch_1..5.bin and test_batch.bin)", e.getMessage());
    }

    private static boolean allEqual(byte[] a, byte v) {
        for (byte b : a) {
            if (b != v) {
                return false;
            }
        }
        return true;
    }
}
