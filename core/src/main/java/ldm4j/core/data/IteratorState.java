package ldm4j.core.data;

/**
 * Where a {@link BatchIterator} stands: the epoch and the position of the next batch within that
 * epoch's shuffled order. Together with the iterator's seed this fixes every batch to come, so a
 * checkpoint that stores it resumes on exactly the same data order.
 *
 * @param epoch epochs completed so far (0 during the first)
 * @param index position in the epoch's order where the next batch starts
 */
public record IteratorState(long epoch, int index) {
    /** The state of a fresh iterator. */
    public static final IteratorState START = new IteratorState(0, 0);

    public IteratorState {
        if (epoch < 0 || index < 0) {
            throw new IllegalArgumentException("iterator state must be non-negative, got epoch " + epoch + ", index " + index);
        }
    }
}
