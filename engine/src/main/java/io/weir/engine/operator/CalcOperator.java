package io.weir.engine.operator;

import io.weir.engine.expression.BatchFilter;
import io.weir.engine.expression.BatchProjection;
import io.weir.engine.expression.EvaluationContext;
import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.type.DataType;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Applies a compiled filter (to a selection vector) and then a compiled projection to each batch;
 * stateless. Watermarks pass through.
 */
public final class CalcOperator implements Operator {
    private final BatchFilter filter;
    private final BatchProjection projection;
    private final BatchBuilder builder;
    private int[] selection = new int[0];
    private EvaluationContext context = new EvaluationContext(0, Long.MIN_VALUE);
    private Batch pending;
    private Watermark watermark = Watermark.INITIAL;
    private boolean finishing;

    public CalcOperator(Optional<BatchFilter> filter, BatchProjection projection, List<DataType.Field> outputType) {
        this.filter = requireNonNull(filter, "filter is null").orElse(null);
        this.projection = requireNonNull(projection, "projection is null");
        this.builder = new BatchBuilder(outputType);
    }

    @Override
    public void startBatch(EvaluationContext context) {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public boolean needsInput() {
        return pending == null && !finishing;
    }

    @Override
    public void addInput(Batch batch) {
        if (pending != null) {
            throw new IllegalStateException("output not taken");
        }
        int rows = batch.rowCount();
        if (rows == 0) {
            return;
        }
        if (selection.length < rows) {
            selection = new int[Math.max(rows, selection.length * 2)];
        }
        for (int row = 0; row < rows; row++) {
            selection[row] = row;
        }
        int selected = filter == null ? rows : filter.filter(batch, selection, rows, selection);
        if (selected == 0) {
            return;
        }
        projection.project(batch, selection, selected, context, builder);
        if (!builder.isEmpty()) {
            pending = builder.build();
        }
    }

    @Override
    public Batch getOutput() {
        Batch output = pending;
        pending = null;
        return output;
    }

    @Override
    public void processWatermark(int input, Watermark watermark) {
        this.watermark = watermark;
    }

    @Override
    public Watermark outputWatermark() {
        return watermark;
    }

    @Override
    public void finish() {
        finishing = true;
    }

    @Override
    public boolean isFinished() {
        return finishing && pending == null;
    }
}
