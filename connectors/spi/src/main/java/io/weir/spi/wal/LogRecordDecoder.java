package io.weir.spi.wal;

import io.weir.spi.batch.BatchBuilder;

/** Turns one logged record into a row of a {@link LogSourceReader}; one per reader (decoders keep state). */
@FunctionalInterface
public interface LogRecordDecoder {
    /**
     * Decodes the record logged at {@code offset} into {@code out}, committing a row of split 0
     * (through the context's error handler, which applies {@code 'on-error'}).
     *
     * @return whether a row was committed
     */
    boolean decode(long offset, byte[] payload, BatchBuilder out);
}
