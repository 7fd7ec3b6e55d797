package io.weir.engine.join;

import io.weir.engine.expression.EvaluationContext;
import io.weir.engine.plan.Calc;
import io.weir.engine.plan.PlanNode;
import io.weir.engine.plan.SourceSpec;
import io.weir.engine.source.SourceOpener;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.Source;
import io.weir.spi.connector.SourceReader;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Reads a bounded reference table to its end, through its connector, into a {@link RowStore} on its
 * join keys; a {@link Calc} over the table's scan (computed columns, casts, a filter) is applied to
 * the rows as they are read.
 */
final class LookupTableLoader {
    private static final int BATCH_ROWS = 4096;

    private final SourceSpec table;
    private final Calc calc;
    private final List<io.weir.spi.type.DataType.Field> rowType;
    private final SourceOpener opener;
    private final int[] keys;
    private final List<Integer> keyList;

    /** @param table the table's scan, or a Calc over it */
    LookupTableLoader(PlanNode table, SourceSpec spec, SourceOpener opener, List<Integer> keys) {
        this.table = requireNonNull(spec, "spec is null");
        this.calc = table instanceof Calc c ? c : null;
        this.rowType = table.outputType();
        this.opener = requireNonNull(opener, "opener is null");
        this.keyList = List.copyOf(keys);
        this.keys = keys.stream().mapToInt(Integer::intValue).toArray();
    }

    String tableName() {
        return table.objectName();
    }

    /** A new version of the table; rows with a NULL key are left out, as they match nothing. */
    RowStore load() {
        Source source = opener.source(table);
        if (!source.isBounded()) {
            throw new WeirException(ErrorCode.NOT_SUPPORTED, "Table '" + table.objectName() + "' is unbounded, so it cannot"
                    + " be read whole for a lookup join. Declare a bounded source (a file without 'watch', a jdbc table)");
        }
        RowStore store = new RowStore(rowType, keyList);
        BatchBuilder builder = new BatchBuilder(table.rowType(), BATCH_ROWS);
        try (SourceReader reader = source.createReader()) {
            while (!reader.isFinished()) {
                int rows = reader.poll(builder, BATCH_ROWS);
                if (rows == 0 && builder.isEmpty()) {
                    if (reader.isFinished()) {
                        break;
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L); // the reader has nothing yet: do not spin
                    if (Thread.currentThread().isInterrupted()) {
                        throw new WeirException(ErrorCode.QUERY_CANCELLED, "Stopped while loading table '" + table.objectName()
                                + "' for a lookup join");
                    }
                    continue;
                }
                add(store, builder.build());
            }
            if (!builder.isEmpty()) {
                add(store, builder.build());
            }
        }
        return store;
    }

    private void add(RowStore store, Batch read) {
        Batch batch = calc == null ? read : calc(read);
        for (int row = 0; row < batch.rowCount(); row++) {
            if (!RowStore.hasNullKey(batch, row, keys)) {
                store.add(batch, row, RowStore.hash(batch, row, keys), 0);
            }
        }
    }

    private Batch calc(Batch batch) {
        int rows = batch.rowCount();
        int[] selection = new int[rows];
        for (int row = 0; row < rows; row++) {
            selection[row] = row;
        }
        int selected = calc.filter().isPresent() ? calc.filter().get().filter(batch, selection, rows, selection) : rows;
        BatchBuilder out = new BatchBuilder(rowType, Math.max(1, selected));
        calc.projection().project(batch, selection, selected, new EvaluationContext(System.currentTimeMillis(), Long.MIN_VALUE), out);
        return out.build();
    }
}
