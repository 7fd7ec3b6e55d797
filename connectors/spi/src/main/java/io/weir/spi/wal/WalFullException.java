package io.weir.spi.wal;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;

/**
 * An append refused because the log holds {@code 'wal.max-bytes'} of records that consumers still need:
 * back-pressure, not a failure; the caller retries later (HTTP ingest answers 503 with Retry-After).
 */
public final class WalFullException extends WeirException {
    private static final long serialVersionUID = 1L;
    /** What {@code sys.source_statistics.paused_reason} shows while a source's log is full. */
    public static final String PAUSED_REASON = "log full ('wal.max-bytes')";

    public WalFullException(String message) {
        super(ErrorCode.SOURCE_ERROR, message);
    }
}
