package io.weir.connector.datagen.generator;

import io.weir.spi.batch.RowWriter;

/**
 * Produces one column's values. One instance per reader: it holds that reader's random state, so
 * the values depend only on the seed and the order of rows, not on how rows are split into polls.
 */
public interface ValueGenerator {
    /**
     * Writes the value for row {@code row} (0-based, counted from the reader's start) whose event
     * time is {@code timeMillis} (the time the row is scheduled at, epoch milliseconds).
     */
    void write(RowWriter out, int column, long row, long timeMillis);

    /** The next value as its representation object, for values nested in ARRAY, MAP and ROW. */
    Object value(long row, long timeMillis);
}
