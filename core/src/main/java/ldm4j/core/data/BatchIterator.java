package ldm4j.core.data;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;

/**
 * Endless batches over a {@link DataView}, epoch after epoch, each epoch in its own seeded order.
 * {@link #overPositions} gives the same iteration over positions 0..size-1 of any indexed source
 * (e.g. a latent set), for callers that build their batches themselves from {@link #nextPositions()}.
 *
 * <p>Every epoch's order is a function of (seed, epoch) only, so the whole future of the iterator
 * is fixed by its {@link IteratorState}: save {@link #state()} with a checkpoint and
 * {@link #restore(IteratorState)} it to continue with exactly the batches that would have come.
 */
public final class BatchIterator {
    private final DataView view; // null for a bare position iterator
    private final int size;
    private final String what;
    private final int batchSize;
    private final long seed;
    private final boolean dropLast;
    private long epoch;
    private int index;
    private int[] order;

    BatchIterator(DataView view, int batchSize, long seed, boolean dropLast) {
        this(view, view.size(), "the " + view.split() + " split", batchSize, seed, dropLast);
    }

    private BatchIterator(DataView view, int size, String what, int batchSize, long seed, boolean dropLast) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be > 0, got " + batchSize);
        }
        if (size == 0 || (dropLast && size < batchSize)) {
            throw new IllegalArgumentException(what + " has " + size
                    + " images, too few for one batch of " + batchSize);
        }
        this.view = view;
        this.size = size;
        this.what = what;
        this.batchSize = batchSize;
        this.seed = seed;
        this.dropLast = dropLast;
        this.order = Shuffle.epochPermutation(size, seed, 0);
    }

    /**
     * An iterator over positions 0..size-1 of any indexed source, with the same seeded epoch
     * orders and {@link IteratorState} as a view's iterator; {@link #next} is not available on it.
     *
     * @param size number of items
     * @param batchSize items per batch
     * @param seed fixes every epoch's order
     * @param dropLast skip the short batch at the end of an epoch
     */
    public static BatchIterator overPositions(int size, int batchSize, long seed, boolean dropLast) {
        return new BatchIterator(null, size, "the data", batchSize, seed, dropLast);
    }

    /** Batches in one epoch. */
    public int batchesPerEpoch() {
        return dropLast ? size / batchSize : (size + batchSize - 1) / batchSize;
    }

    /** Where the iterator stands. */
    public IteratorState state() {
        return new IteratorState(epoch, index);
    }

    /** Moves to {@code state}, as saved by {@link #state()} from an iterator with the same seed. */
    public void restore(IteratorState state) {
        if (state.index() > size) {
            throw new IllegalArgumentException("iterator index " + state.index() + " is past the end of "
                    + what + " (" + size + " images)");
        }
        if (state.epoch() != epoch) {
            order = Shuffle.epochPermutation(size, seed, state.epoch());
        }
        epoch = state.epoch();
        index = state.index();
    }

    /** Positions in the view of the next batch; advances the iterator, rolling over epochs. */
    public int[] nextPositions() {
        int remaining = size - index;
        if (remaining == 0 || (dropLast && remaining < batchSize)) {
            epoch++;
            index = 0;
            order = Shuffle.epochPermutation(size, seed, epoch);
            remaining = size;
        }
        int n = Math.min(batchSize, remaining);
        int[] positions = Arrays.copyOfRange(order, index, index + n);
        index += n;
        return positions;
    }

    /** The next batch, made on {@code manager} (see {@link DataView#batch}); only for a view's iterator. */
    public Batch next(NDManager manager) {
        if (view == null) {
            throw new IllegalStateException("a position iterator has no view: build batches from nextPositions()");
        }
        return view.batch(manager, nextPositions());
    }

    /** The epoch of the batch returned last (0-based). */
    public long epoch() {
        return epoch;
    }
}
