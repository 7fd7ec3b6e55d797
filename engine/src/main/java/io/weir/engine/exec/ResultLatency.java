package io.weir.engine.exec;

import io.weir.engine.latency.LatencyPercentiles;
import io.weir.engine.latency.LatencyWindow;
import io.weir.engine.latency.ResultArrivals;

import java.util.ArrayDeque;

/**
 * A query's latencies, measured as its rows are handed to its client (or its micro-batch's rows to its sink):
 * <ul>
 * <li><b>result latency</b>: for each row, the time since the start of the micro-batch that produced it, the
 * batch boundary up to which its input was read (a window's row: the boundary after which the watermark passed
 * the window's end);</li>
 * <li><b>end-to-end latency</b>: for each record whose first result row the micro-batch produced, the time since
 * the record arrived at the server (see {@link ResultArrivals}), taken when the first row of that micro-batch
 * after its contribution is handed out.</li>
 * </ul>
 * Both as percentiles over the last one to two minutes ({@link LatencyWindow}). Not thread-safe: the query uses
 * it under its lock.
 */
final class ResultLatency {
    /** Rows queued, oldest first, as runs of rows of one micro-batch. */
    private final ArrayDeque<Run> runs = new ArrayDeque<>();
    private final LatencyWindow result;
    private final LatencyWindow endToEnd;

    private static final class Run {
        final long batchStartNanos;
        final ResultArrivals arrivals;
        long rows;

        Run(long batchStartNanos, ResultArrivals arrivals) {
            this.batchStartNanos = batchStartNanos;
            this.arrivals = arrivals;
        }
    }

    ResultLatency(long nowNanos) {
        this.result = new LatencyWindow(nowNanos);
        this.endToEnd = new LatencyWindow(nowNanos);
    }

    /** A row produced in the micro-batch started at {@code batchStartNanos}, whose contributions are {@code arrivals}, was queued. */
    void queued(long batchStartNanos, ResultArrivals arrivals) {
        Run last = runs.peekLast();
        if (last == null || last.batchStartNanos != batchStartNanos || last.arrivals != arrivals) {
            last = new Run(batchStartNanos, arrivals);
            runs.addLast(last);
        }
        last.rows++;
    }

    /**
     * The {@code rows} oldest queued rows were handed to the client at {@code nowNanos}: recorded once per run
     * of rows of one micro-batch, not once per row (a fetch takes thousands of rows at a time).
     */
    void delivered(long rows, long nowNanos) {
        while (rows > 0) {
            Run first = runs.peekFirst();
            if (first == null) {
                return;
            }
            long taken = Math.min(rows, first.rows);
            result.record(nowNanos - first.batchStartNanos, taken, nowNanos);
            if (!first.arrivals.isEmpty()) {
                first.arrivals.drainInto(endToEnd, nowNanos);
            }
            first.rows -= taken;
            rows -= taken;
            if (first.rows == 0) {
                runs.pollFirst();
            }
        }
    }

    /**
     * The {@code rows} rows of the micro-batch started at {@code batchStartNanos}, whose contributions are
     * {@code arrivals}, were handed to the query's sink at {@code nowNanos}.
     */
    void written(long batchStartNanos, ResultArrivals arrivals, long rows, long nowNanos) {
        if (rows <= 0) {
            return;
        }
        result.record(nowNanos - batchStartNanos, rows, nowNanos);
        arrivals.drainInto(endToEnd, nowNanos);
    }

    /** The queued rows were dropped (the query was discarded): none will be delivered. */
    void clear() {
        runs.clear();
    }

    /** The result latency's percentiles now; {@link LatencyPercentiles#NONE} when no row was delivered in the last minutes. */
    LatencyPercentiles percentiles(long nowNanos) {
        return result.percentiles(nowNanos);
    }

    /** The end-to-end latency's percentiles now; {@link LatencyPercentiles#NONE} when nothing was measured in the last minutes. */
    LatencyPercentiles endToEndPercentiles(long nowNanos) {
        return endToEnd.percentiles(nowNanos);
    }
}
