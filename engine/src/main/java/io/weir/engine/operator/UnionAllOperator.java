package io.weir.engine.operator;

import io.weir.spi.batch.Batch;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Queue;

/** Forwards the batches of all its inputs; its watermark is {@link Watermark#combine} of theirs. */
public final class UnionAllOperator implements Operator {
    private final Queue<Batch> pending = new ArrayDeque<>();
    private final Watermark[] inputWatermarks;
    private boolean finishing;

    public UnionAllOperator(int inputs) {
        if (inputs < 2) {
            throw new IllegalArgumentException("UNION ALL needs at least two inputs");
        }
        inputWatermarks = new Watermark[inputs];
        Arrays.fill(inputWatermarks, Watermark.INITIAL);
    }

    @Override
    public boolean needsInput() {
        return !finishing;
    }

    @Override
    public void addInput(Batch batch) {
        if (!batch.isEmpty()) {
            pending.add(batch);
        }
    }

    @Override
    public Batch getOutput() {
        return pending.poll();
    }

    @Override
    public void processWatermark(int input, Watermark watermark) {
        inputWatermarks[input] = watermark;
    }

    @Override
    public Watermark outputWatermark() {
        return Watermark.combine(inputWatermarks);
    }

    @Override
    public void finish() {
        finishing = true;
    }

    @Override
    public boolean isFinished() {
        return finishing && pending.isEmpty();
    }
}
