package ldm4j.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkedTest {
    /** Row-wise, with intermediates: each row's sum of squares, and the rows doubled. */
    private static NDList rowWise(NDArray x) {
        NDArray h = x;
        for (int i = 0; i < 10; i++) {
            h = h.add(x); // ten intermediates on the argument's manager
        }
        return new NDList(x.square().sum(new int[] {1}), h.sub(x.mul(x.getManager().full(new Shape(), 9f))));
    }

    @Test
    void slicesGiveTheWholeBatchsResultAndFreeTheirIntermediates() {
        try (NDManager root = NDManager.newBaseManager(); NDManager owner = root.newSubManager()) {
            NDArray x = owner.randomNormal(new Shape(7, 5));
            NDList whole;
            try (NDManager other = root.newSubManager()) {
                NDArray copy = x.duplicate();
                copy.attach(other);
                whole = rowWise(copy);
                whole.attach(root);
            }
            int before = owner.getManagedArrays().size();
            List<Integer> sliceRows = new ArrayList<>();
            NDList sliced = Chunked.map(x, 3, s -> {
                sliceRows.add((int) s.getShape().get(0));
                return rowWise(s);
            });
            assertEquals(List.of(3, 4), sliceRows); // never fewer than 3: no kernel for small batches
            assertEquals(2, sliced.size());
            for (int k = 0; k < 2; k++) {
                assertEquals(whole.get(k).getShape(), sliced.get(k).getShape());
                assertArrayEquals(whole.get(k).toFloatArray(), sliced.get(k).toFloatArray());
                assertSame(owner, sliced.get(k).getManager());
            }
            // Only the two outputs are left on the batch's manager: no slice, no intermediate.
            assertEquals(before + 2, owner.getManagedArrays().size());
        }
    }

    @Test
    void aBatchThatFitsInOneSliceIsPassedAsIs() {
        try (NDManager root = NDManager.newBaseManager()) {
            NDArray x = root.ones(new Shape(3, 2));
            NDArray[] seen = new NDArray[1];
            NDArray y = Chunked.apply(x, 2, s -> { // 3 rows: fewer than two slices of 2
                seen[0] = s;
                return s.add(s);
            });
            assertSame(x, seen[0]);
            assertArrayEquals(new float[] {2, 2, 2, 2, 2, 2}, y.toFloatArray());
            assertThrows(IllegalArgumentException.class, () -> Chunked.apply(x, 0, s -> s));
        }
    }
}
