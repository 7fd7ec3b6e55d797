package io.weir.engine.parallel;

import io.weir.engine.operator.Operator;
import io.weir.engine.operator.Watermark;
import io.weir.spi.batch.Batch;

/**
 * A source a task does not read: another task reads all of it (a stream that cannot be divided). It
 * has no rows and is finished from the start, and its watermark is idle, so that it holds back nothing
 * it is combined with (a union's other input, the other tasks at an exchange).
 */
final class AbsentSourceOperator implements Operator {
    private static final Watermark NEUTRAL = new Watermark(Long.MIN_VALUE, true);

    @Override
    public boolean needsInput() {
        return false;
    }

    @Override
    public void addInput(Batch batch) {
        throw new UnsupportedOperationException("a source has no input");
    }

    @Override
    public Batch getOutput() {
        return null;
    }

    @Override
    public void processWatermark(int input, Watermark watermark) {
        throw new UnsupportedOperationException("a source has no input");
    }

    @Override
    public Watermark outputWatermark() {
        return NEUTRAL;
    }

    @Override
    public void finish() {
    }

    @Override
    public boolean isFinished() {
        return true;
    }
}
