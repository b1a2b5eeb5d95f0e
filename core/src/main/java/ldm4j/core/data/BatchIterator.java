package ldm4j.core.data;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;

/**
 * Endless batches over a {@link DataView}, epoch after epoch, each epoch in its own seeded order.
 *
 * <p>Every epoch's order is a function of (seed, epoch) only, so the whole future of the iterator
 * is fixed by its {@link IteratorState}: save {@link #state()} with a checkpoint and
 * {@link #restore(IteratorState)} it to continue with exactly the batches that would have come.
 */
public final class BatchIterator {
    private final DataView view;
    private final int batchSize;
    private final long seed;
    private final boolean dropLast;
    private long epoch;
    private int index;
    private int[] order;

    BatchIterator(DataView view, int batchSize, long seed, boolean dropLast) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be > 0, got " + batchSize);
        }
        if (view.size() == 0 || (dropLast && view.size() < batchSize)) {
            throw new IllegalArgumentException("the " + view.split() + " split has " + view.size()
                    + " images, too few for one batch of " + batchSize);
        }
        this.view = view;
        this.batchSize = batchSize;
        this.seed = seed;
        this.dropLast = dropLast;
        this.order = Shuffle.epochPermutation(view.size(), seed, 0);
    }

    /** Batches in one epoch. */
    public int batchesPerEpoch() {
        return dropLast ? view.size() / batchSize : (view.size() + batchSize - 1) / batchSize;
    }

    /** Where the iterator stands. */
    public IteratorState state() {
        return new IteratorState(epoch, index);
    }

    /** Moves to {@code state}, as saved by {@link #state()} from an iterator with the same seed. */
    public void restore(IteratorState state) {
        if (state.index() > view.size()) {
            throw new IllegalArgumentException("iterator index " + state.index() + " is past the "
                    + view.split() + " split's " + view.size() + " images");
        }
        if (state.epoch() != epoch) {
            order = Shuffle.epochPermutation(view.size(), seed, state.epoch());
        }
        epoch = state.epoch();
        index = state.index();
    }

    /** Positions in the view of the next batch; advances the iterator, rolling over epochs. */
    public int[] nextPositions() {
        int remaining = view.size() - index;
        if (remaining == 0 || (dropLast && remaining < batchSize)) {
            epoch++;
            index = 0;
            order = Shuffle.epochPermutation(view.size(), seed, epoch);
            remaining = view.size();
        }
        int n = Math.min(batchSize, remaining);
        int[] positions = Arrays.copyOfRange(order, index, index + n);
        index += n;
        return positions;
    }

    /** The next batch, made on {@code manager} (see {@link DataView#batch}). */
    public Batch next(NDManager manager) {
        return view.batch(manager, nextPositions());
    }

    /** The epoch of the batch returned last (0-based). */
    public long epoch() {
        return epoch;
    }
}
