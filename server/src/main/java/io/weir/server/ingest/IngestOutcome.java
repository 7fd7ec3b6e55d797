package io.weir.server.ingest;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What became of the records of one request.
 *
 * @param accepted records appended to the stream
 * @param rejected records that could not be decoded
 * @param errors   the first {@link #MAX_ERRORS} rejections
 */
record IngestOutcome(int accepted, int rejected, List<Rejection> errors) {
    /** Rejections listed in a response; the count says how many there were in all. */
    static final int MAX_ERRORS = 10;

    IngestOutcome {
        errors = List.copyOf(requireNonNull(errors, "errors is null"));
    }

    /**
     * One rejected record.
     *
     * @param record its position in the body, the first record being 1
     * @param reason why it could not be decoded, e.g. {@code field 'ts': cannot parse 'abc' as TIMESTAMP}
     */
    record Rejection(int record, String reason) {
        Rejection {
            requireNonNull(reason, "reason is null");
        }
    }
}
