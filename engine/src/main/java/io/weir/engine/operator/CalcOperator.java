package io.weir.engine.operator;

import io.weir.engine.expression.BatchFilter;
import io.weir.engine.expression.BatchProjection;
import io.weir.engine.expression.EvaluationContext;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
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
    private RowPositions positions;

    /**
     * Names where a row was read in a function's failure on it, for a Calc whose input batches are a source's
     * (which carry their rows' splits and offsets).
     */
    public void readsFrom(RowPositions positions) {
        this.positions = requireNonNull(positions, "positions is null");
    }

    /** Where the rows of its output were read (see {@link #readsFrom}); null when not known. */
    public RowPositions rowPositions() {
        return positions;
    }

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
        int selected = -1;
        int before = builder.rowCount();
        try {
            selected = filter == null ? rows : filter.filter(batch, selection, rows, selection);
            if (selected == 0) {
                return;
            }
            projection.project(batch, selection, selected, context, builder);
        } catch (WeirException e) {
            // the projection commits its rows one by one: the first not committed is the one it failed on
            throw withPosition(e, batch, selected < 0 ? -1 : builder.rowCount() - before, selected);
        }
        if (!builder.isEmpty()) {
            pending = builder.build().withArrival(batch.arrivalNanos());
            if (positions != null && pending.rowCount() == selected) {
                // an operator after it can still say where a row it fails on was read
                pending = pending.withPositionsOf(batch, selection);
            }
        }
    }

    /**
     * A function's failure on the batch's rows, with where the row was read when the input is a source's: the
     * row's position when the projection failed on its {@code committed}-th selected row, else (the filter failed,
     * on a row it does not say) the batch's positions.
     */
    private WeirException withPosition(WeirException e, Batch batch, int committed, int selected) {
        if (e.errorCode() != ErrorCode.FUNCTION_FAILED || positions == null) {
            return e;
        }
        builder.reset();
        if (committed < 0 || committed >= selected) {
            return RowPositions.locate(e, positions, batch);
        }
        String message = e.rawMessage().endsWith(".") ? e.rawMessage() : e.rawMessage() + ".";
        return new WeirException(ErrorCode.FUNCTION_FAILED, message + " The row was " + RowPositions.READ_FROM
                + positions.of(batch, selection[committed]) + ".", e.getCause() == null ? e : e.getCause());
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
