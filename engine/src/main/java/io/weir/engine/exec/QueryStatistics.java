package io.weir.engine.exec;

import io.weir.engine.latency.LatencyPercentiles;

/**
 * What a query did so far.
 *
 * @param rowsIn rows read from its sources
 * @param rowsOut result rows produced
 * @param lateRows rows dropped because their window had already fired
 * @param batches micro-batches run
 * @param watermarkMillis the current watermark (Long.MIN_VALUE before any event time was seen,
 *        Long.MAX_VALUE once all bounded input was read)
 * @param lag records its sources hold that it has not read yet (Kafka: behind the end offsets), or -1
 *        when its sources do not tell
 * @param stateRows keys, windows and buffered rows its operators hold
 * @param stateBytes an estimate of the memory they take
 * @param parallelism the tasks it runs as
 * @param resultLatency from the start of the micro-batch that produced a row to its client taking it (or its sink
 *        being handed the row), over the last minutes; {@link LatencyPercentiles#NONE} when not measured
 * @param endToEndLatency from a record's arrival at the server to the first result row it contributes to being
 *        taken by the client (or handed to the sink), over the last minutes; {@link LatencyPercentiles#NONE} when
 *        not measured
 * @param batchNanos the time its micro-batches took, summed (with {@code batches}: their mean duration)
 * @param outputQueueRows result rows waiting for its client to take them (push queries; 0 for the others)
 * @param operators its operators' figures, root first (empty when not measured)
 */
public record QueryStatistics(long rowsIn, long rowsOut, long lateRows, long batches, long watermarkMillis, long lag,
                              long stateRows, long stateBytes, int parallelism, LatencyPercentiles resultLatency,
                              LatencyPercentiles endToEndLatency, long batchNanos, long outputQueueRows,
                              java.util.List<OperatorStatistics> operators) {
    public QueryStatistics {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be positive: " + parallelism);
        }
        java.util.Objects.requireNonNull(resultLatency, "resultLatency is null");
        java.util.Objects.requireNonNull(endToEndLatency, "endToEndLatency is null");
        operators = java.util.List.copyOf(operators);
    }

    /** Statistics without measured latencies. */
    public QueryStatistics(long rowsIn, long rowsOut, long lateRows, long batches, long watermarkMillis, long lag,
                           long stateRows, long stateBytes, int parallelism) {
        this(rowsIn, rowsOut, lateRows, batches, watermarkMillis, lag, stateRows, stateBytes, parallelism, LatencyPercentiles.NONE,
                LatencyPercentiles.NONE, 0, 0, java.util.List.of());
    }

    /** Statistics of a query run as one task. */
    public QueryStatistics(long rowsIn, long rowsOut, long lateRows, long batches, long watermarkMillis, long lag,
                           long stateRows, long stateBytes) {
        this(rowsIn, rowsOut, lateRows, batches, watermarkMillis, lag, stateRows, stateBytes, 1);
    }

    /** Statistics of a query whose state is not measured. */
    public QueryStatistics(long rowsIn, long rowsOut, long lateRows, long batches, long watermarkMillis, long lag) {
        this(rowsIn, rowsOut, lateRows, batches, watermarkMillis, lag, 0, 0);
    }

    /** Statistics of a query whose sources do not tell their lag. */
    public QueryStatistics(long rowsIn, long rowsOut, long lateRows, long batches, long watermarkMillis) {
        this(rowsIn, rowsOut, lateRows, batches, watermarkMillis, -1);
    }
}
