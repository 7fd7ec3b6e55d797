package io.weir.connector.datagen.generator;

import java.util.SplittableRandom;

/** A validated recipe for a column's values; creates a fresh generator per reader. */
public interface GeneratorSpec {
    /**
     * @param random the column's own random stream, seeded from the source seed and the column
     * @param baseMillis the reader's start time ('start-time' or the clock when the reader was created)
     */
    ValueGenerator create(SplittableRandom random, long baseMillis);

    /** How many rows this generator can produce, for sequences with an end; -1 for no limit. */
    default long rowLimit() {
        return -1;
    }
}
