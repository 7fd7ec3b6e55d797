package io.weir.engine.source;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The batches a shared reader returned, kept until every query sharing the reader took them, and
 * each query's place among them. Not thread-safe: used under the reader's lock.
 *
 * @param <T> a batch, with whatever the reader keeps along with it
 */
final class PendingBatches<T> {
    private final List<T> pending = new ArrayList<>();
    /** Sequence number of {@code pending.get(0)}. */
    private long base;
    private final Map<Object, Long> cursors = new IdentityHashMap<>();

    /** Adds a query that takes every batch read from now on. */
    void joinAtEnd(Object query) {
        cursors.put(query, base + pending.size());
    }

    /** Adds a query that takes every batch still held, from the oldest. */
    void joinAtOldest(Object query) {
        cursors.put(query, base);
    }

    /** The query's next batch among those held, which it then took; null when it took them all. */
    T next(Object query) {
        long cursor = cursors.get(query);
        if (cursor >= base + pending.size()) {
            return null;
        }
        cursors.put(query, cursor + 1);
        return pending.get((int) (cursor - base));
    }

    /** Appends a batch just read for {@code query}, which took every earlier one; the query takes it. */
    void add(T batch, Object query) {
        pending.add(batch);
        cursors.put(query, base + pending.size());
    }

    /** Whether the query took every batch read so far. */
    boolean tookAll(Object query) {
        Long cursor = cursors.get(query);
        return cursor != null && cursor == base + pending.size();
    }

    /** The sum of {@code size} over the held batches the query has not taken. */
    long behind(Object query, ToLongFunction<T> size) {
        Long cursor = cursors.get(query);
        long total = 0;
        for (int i = cursor == null ? pending.size() : (int) (cursor - base); i < pending.size(); i++) {
            total += size.applyAsLong(pending.get(i));
        }
        return total;
    }

    /** Drops the batches every query took. */
    void trim() {
        long smallest = Long.MAX_VALUE;
        for (long cursor : cursors.values()) {
            smallest = Math.min(smallest, cursor);
        }
        while (!pending.isEmpty() && base < smallest) {
            pending.remove(0);
            base++;
        }
    }

    /**
     * Removes the query; returns whether it was there. When it was the last one, drops every batch;
     * otherwise the batches only it had not taken stay until {@link #trim()}.
     */
    boolean leave(Object query) {
        if (cursors.remove(query) == null) {
            return false;
        }
        if (cursors.isEmpty()) {
            pending.clear();
        }
        return true;
    }

    boolean hasQueries() {
        return !cursors.isEmpty();
    }

    /** Batches held. */
    int size() {
        return pending.size();
    }

    /** Whether no batch was dropped yet: the oldest held is the first one read. */
    boolean holdsFirst() {
        return base == 0;
    }
}
