package io.weir.engine.expression;

/**
 * Values fixed for the duration of one micro-batch that compiled expressions may read:
 * {@code PROCTIME()} is the batch's processing time, so all rows of a batch share it.
 *
 * @param processingTimeMillis wall-clock time at the start of the batch, epoch milliseconds
 * @param watermarkMillis the watermark before this batch ({@link Long#MIN_VALUE} before the first)
 */
public record EvaluationContext(long processingTimeMillis, long watermarkMillis) {
}
