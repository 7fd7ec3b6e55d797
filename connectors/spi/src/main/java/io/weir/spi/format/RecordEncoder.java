package io.weir.spi.format;

import io.weir.spi.batch.Batch;

import java.util.Optional;

/**
 * Encodes result rows for sinks, one record per row: a JSON object, a CSV line. Made by
 * {@link FormatFactory#createEncoder}; belongs to one writer and is not thread-safe.
 */
public interface RecordEncoder {
    /**
     * The record for row {@code row} of {@code batch} (whose columns are the encoder's schema, in
     * order), as UTF-8 bytes without a trailing line separator.
     */
    byte[] encode(Batch batch, int row);

    /** The line a file starts with (CSV's header when {@code csv.header} is on), if any. */
    default Optional<String> fileHeader() {
        return Optional.empty();
    }
}
