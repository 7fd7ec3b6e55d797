package io.weir.engine.expression;

import io.weir.engine.latency.ResultArrivals;

/**
 * Values fixed for the duration of one micro-batch that compiled expressions may read:
 * {@code PROCTIME()} is the batch's processing time, so all rows of a batch share it.
 *
 * @param processingTimeMillis wall-clock time at the start of the batch, epoch milliseconds
 * @param watermarkMillis the watermark before this batch ({@link Long#MIN_VALUE} before the first)
 * @param arrivals where operators tell the arrivals of the records whose first result rows this batch emits
 */
public record EvaluationContext(long processingTimeMillis, long watermarkMillis, ResultArrivals arrivals) {
    public EvaluationContext {
        java.util.Objects.requireNonNull(arrivals, "arrivals is null");
    }

    /** A context whose batch measures no end-to-end latency. */
    public EvaluationContext(long processingTimeMillis, long watermarkMillis) {
        this(processingTimeMillis, watermarkMillis, ResultArrivals.IGNORED);
    }
}
