package io.weir.spi.wal;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;

/**
 * An append refused because the log holds {@code 'wal.max-bytes'} of records that consumers still need:
 * back-pressure, not a failure; the caller retries later (HTTP ingest answers 503 with Retry-After).
 */
public final class WalFullException extends WeirException {
    private static final long serialVersionUID = 1L;

    public WalFullException(String message) {
        super(ErrorCode.SOURCE_ERROR, message);
    }
}
