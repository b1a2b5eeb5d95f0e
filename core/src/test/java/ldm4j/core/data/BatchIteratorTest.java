package ldm4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batches, shuffling and iterator resume, on a tiny idx dataset opened through the store. */
class BatchIteratorTest {
    @TempDir
    Path tmp;

    private Dataset dataset;

    @BeforeEach
    void open() throws Exception {
        int n = 70;
        Path images = tmp.resolve("img.idx");
        Files.write(images, TestFiles.idxImages(n, 4, 4));
        int[] labels = new int[n];
        Arrays.setAll(labels, i -> i % 10);
        Path labelFile = tmp.resolve("lab.idx");
        Files.write(labelFile, TestFiles.idxLabels(labels));
        dataset = TestFiles.specOnlyStore(tmp.resolve("cache")).open("idx:" + images + "," + labelFile + "?size=4");
    }

    @Test
    void shufflingIsDeterministicFromTheSeed() {
        DataView train = dataset.train();
        int[] a = train.iterator(8, 11, true).nextPositions();
        int[] b = train.iterator(8, 11, true).nextPositions();
        int[] c = train.iterator(8, 12, true).nextPositions();
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
    }

    @Test
    void eachEpochVisitsEveryImageOnceInANewOrder() {
        DataView train = dataset.train();
        BatchIterator it = train.iterator(7, 5, false);
        List<int[]> epochs = new ArrayList<>();
        for (int e = 0; e < 2; e++) {
            int[] seen = new int[train.size()];
            int k = 0;
            for (int b = 0; b < it.batchesPerEpoch(); b++) {
                for (int p : it.nextPositions()) {
                    seen[k++] = p;
                }
            }
            assertEquals(e, it.epoch());
            int[] sorted = seen.clone();
            Arrays.sort(sorted);
            for (int i = 0; i < sorted.length; i++) {
                assertEquals(i, sorted[i]);
            }
            epochs.add(seen);
        }
        assertFalse(Arrays.equals(epochs.get(0), epochs.get(1)));
    }

    @Test
    void batchIsFloatNchwInMinusOneToOneWithIntLabels() {
        DataView train = dataset.train();
        try (NDManager m = NDManager.newBaseManager()) {
            Batch batch = train.iterator(16, 1, true).next(m);
            assertEquals(new Shape(16, 1, 4, 4), batch.images().getShape());
            assertEquals(DataType.FLOAT32, batch.images().getDataType());
            assertEquals(DataType.INT32, batch.labels().getDataType());
            float[] x = batch.images().toFloatArray();
            int[] labels = batch.labels().toIntArray();
            for (int k = 0; k < 16; k++) {
                int i = batch.indices()[k];
                assertEquals(i % 10, labels[k]);
                byte[] raw = dataset.images().image(i);
                for (int j = 0; j < 16; j++) {
                    float v = x[k * 16 + j];
                    assertTrue(v >= -1f && v <= 1f);
                    assertEquals((raw[j] & 0xFF) / 127.5f - 1f, v, 1e-6f);
                }
            }
            assertEquals(m, batch.images().getManager());
        }
    }

    @Test
    void restoredIteratorContinuesIdentically() {
        DataView train = dataset.train();
        BatchIterator original = train.iterator(9, 77, true);
        for (int i = 0; i < 8; i++) { // 60 train images / 9 = 6 batches an epoch: cross an epoch boundary
            original.nextPositions();
        }
        IteratorState saved = original.state();
        List<int[]> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            expected.add(original.nextPositions());
        }
        BatchIterator resumed = train.iterator(9, 77, true);
        resumed.restore(saved);
        assertEquals(saved, resumed.state());
        for (int[] e : expected) {
            assertArrayEquals(e, resumed.nextPositions());
        }
    }

    @Test
    void previewGivesFirstOrSeededImagesAsUint8() {
        UInt8Images first = dataset.preview(5);
        assertArrayEquals(new long[] {5, 1, 4, 4}, first.shape());
        assertArrayEquals(dataset.images().image(3), first.image(3));
        assertArrayEquals(dataset.preview(5, 9).pixels(), dataset.preview(5, 9).pixels());
        assertFalse(Arrays.equals(first.pixels(), dataset.preview(5, 9).pixels()));
    }

    @Test
    void trainAndTestViewsPartitionTheDataset() {
        DataView train = dataset.train();
        DataView test = dataset.test();
        assertEquals(60, train.size());
        assertEquals(10, test.size());
        boolean[] seen = new boolean[dataset.count()];
        for (DataView v : List.of(train, test)) {
            for (int p = 0; p < v.size(); p++) {
                assertFalse(seen[v.datasetIndex(p)]);
                seen[v.datasetIndex(p)] = true;
                assertEquals(v == test, dataset.isTest(v.datasetIndex(p)));
            }
        }
    }
}
