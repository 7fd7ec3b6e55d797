package io.weir.engine.late;

import static java.util.Objects.requireNonNull;

/**
 * A row a query dropped as late, kept for {@code sys.late_rows}.
 *
 * @param queryId the query that dropped it
 * @param streams the stream (or streams, comma-separated) the query reads
 * @param row the row as the window aggregation read it, as a JSON object: its time and the columns the query uses
 * @param eventTime the row's time (epoch milliseconds)
 * @param watermark how far the window aggregation had fired when the row came: the watermark (or, for
 *        processing-time windows, the processing time)
 * @param arrivedAt the processing time of the micro-batch that brought it
 */
public record LateRow(String queryId, String streams, String row, long eventTime, long watermark, long arrivedAt) {
    public LateRow {
        requireNonNull(queryId, "queryId is null");
        requireNonNull(streams, "streams is null");
        requireNonNull(row, "row is null");
    }
}
