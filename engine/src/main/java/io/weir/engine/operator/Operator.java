package io.weir.engine.operator;

import io.weir.engine.expression.EvaluationContext;
import io.weir.spi.batch.Batch;

/**
 * One step of a continuous query's micro-batch pipeline, in the style of Trino's operators: the
 * driver pushes batches in while {@link #needsInput()}, takes results out with {@link #getOutput()},
 * and at the end of every micro-batch hands each input's {@link Watermark} to
 * {@link #processWatermark}, which may produce output (fired windows) before the operator's own
 * {@link #outputWatermark()} is passed on. Operators are used by one thread; not thread-safe.
 */
public interface Operator extends AutoCloseable {
    /** Called before the micro-batch's first input with the values fixed for it. */
    default void startBatch(EvaluationContext context) {
    }

    boolean needsInput();

    void addInput(Batch batch);

    /** A batch of output, or null when there is none right now. */
    Batch getOutput();

    /** The end-of-batch watermark of input {@code input} (0 for single-input operators). */
    void processWatermark(int input, Watermark watermark);

    /** The watermark after the last {@link #processWatermark} calls, for the operator downstream. */
    Watermark outputWatermark();

    /** No more input will come: flush what is held (fire remaining windows). */
    void finish();

    /** Finished and all output taken. */
    boolean isFinished();

    /** Frees state and resources. Idempotent. */
    @Override
    default void close() {
    }
}
