package io.weir.spi.connector;

import static java.util.Objects.requireNonNull;

/**
 * A part of a source read in order, the unit the engine tracks event time and idleness for: a file,
 * a Kafka partition, the single generator of datagen.
 *
 * @param id dense, starting at 0, stable for the life of the reader; rows carry it (see {@link io.weir.spi.batch.Batch#splitId(int)})
 * @param name for users and logs, e.g. {@code /data/clicks/2024-01-15.json}
 * @param finished no more rows will come from this split (a file read to its end); a finished split
 *                 no longer holds back the watermark. The source as a whole is finished only when
 *                 {@link SourceReader#isFinished()} says so: a watched directory may still add splits.
 */
public record Split(int id, String name, boolean finished) {
    public Split {
        requireNonNull(name, "name is null");
        if (id < 0) {
            throw new IllegalArgumentException("split ids are non-negative: " + id);
        }
    }
}
