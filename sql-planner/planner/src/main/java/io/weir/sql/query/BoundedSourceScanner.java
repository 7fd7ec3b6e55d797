package io.weir.sql.query;

import io.weir.engine.deadletter.DeadLetterStore;
import io.weir.engine.plan.SourceSpec;
import io.weir.engine.source.SourceOpener;
import io.weir.engine.source.SourceStatistics;
import io.weir.engine.view.MaterializedViews;
import io.weir.engine.view.ViewStore;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ConnectorServices;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.Source;
import io.weir.spi.connector.SourceReader;
import io.weir.spi.type.DataType;
import io.weir.sql.catalog.CatalogObject;
import io.weir.sql.catalog.ColumnDefinition;
import io.weir.sql.catalog.ColumnKind;
import io.weir.sql.catalog.ObjectType;
import io.weir.sql.schema.ObjectScanner;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.util.Objects.requireNonNull;

/**
 * Reads a bounded stream or table through its connector to the end, for plain (bounded) queries.
 * Unbounded sources are refused: they need {@code SELECT STREAM}. Records that fail to decode follow
 * the object's {@code 'on-error'} policy and are counted in {@link SourceStatistics}.
 */
public final class BoundedSourceScanner implements ObjectScanner {
    private static final int BATCH_ROWS = 4096;

    private final SourceOpener opener;
    private final MaterializedViews views;

    /**
     * @param services the server's connector services, handed to the sources
     * @param views the server's materialized view stores, which plain SELECTs of a view read
     */
    public BoundedSourceScanner(Path dataDir, SourceStatistics statistics, DeadLetterStore deadLetters, ConnectorServices services,
                                MaterializedViews views) {
        this.opener = new SourceOpener(requireNonNull(dataDir, "dataDir is null"), requireNonNull(statistics, "statistics is null"),
                requireNonNull(deadLetters, "deadLetters is null"), InstantSource.system(), requireNonNull(services, "services is null"));
        this.views = requireNonNull(views, "views is null");
    }

    /** The connector's source for {@code object}; cheap, no I/O. */
    public Source source(CatalogObject object) {
        ObjectKind kind = object.type() == ObjectType.STREAM ? ObjectKind.STREAM : ObjectKind.TABLE;
        // Event time plays no part in a bounded read: the spec carries only what opening the source needs.
        return opener.source(new SourceSpec(object.name(), kind, object.options(), object.physicalSchema(), -1,
                java.time.Duration.ZERO, java.util.Optional.empty(), object.metadataColumns()));
    }

    public boolean isBounded(CatalogObject object) {
        return object.type() == ObjectType.MATERIALIZED_VIEW || source(object).isBounded();
    }

    @Override
    public Enumerable<Object[]> scan(CatalogObject object, List<ColumnDefinition> columns, DataContext context) {
        if (object.type() == ObjectType.MATERIALIZED_VIEW) {
            return viewRows(object, columns);
        }
        Source source = source(object);
        if (!source.isBounded()) {
            throw unbounded(object);
        }
        AtomicBoolean cancelled = context.get(DataContext.Variable.CANCEL_FLAG.camelName) instanceof AtomicBoolean flag
                ? flag : new AtomicBoolean();
        return new AbstractEnumerable<>() {
            @Override
            public Enumerator<Object[]> enumerator() {
                return new SourceEnumerator(object, columns, source.createReader(), cancelled);
            }
        };
    }

    /** A materialized view's rows as of its last completed micro-batch. */
    private Enumerable<Object[]> viewRows(CatalogObject view, List<ColumnDefinition> columns) {
        ViewStore.Snapshot snapshot = views.get(view.name()).map(ViewStore::snapshot)
                .orElseThrow(() -> new WeirException(ErrorCode.SOURCE_ERROR, "Materialized view '" + view.name()
                        + "' is not running; SHOW QUERIES tells why"));
        int[] positions = new int[columns.size()];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = view.columnIndex(columns.get(i).name());
        }
        DataType[] types = columns.stream().map(ColumnDefinition::type).toArray(DataType[]::new);
        List<Object[]> stored = snapshot.rows();
        // rows converted as they are read, not copied first: a filtered pull query reads each once
        return new AbstractEnumerable<>() {
            @Override
            public Enumerator<Object[]> enumerator() {
                return new Enumerator<>() {
                    private int index = -1;
                    private Object[] current;

                    @Override
                    public Object[] current() {
                        return current;
                    }

                    @Override
                    public boolean moveNext() {
                        if (++index >= stored.size()) {
                            current = null;
                            return false;
                        }
                        Object[] row = stored.get(index);
                        Object[] converted = new Object[positions.length];
                        for (int i = 0; i < positions.length; i++) {
                            converted[i] = CalciteValues.toCalcite(types[i], row[positions[i]]);
                        }
                        current = converted;
                        return true;
                    }

                    @Override
                    public void reset() {
                        index = -1;
                        current = null;
                    }

                    @Override
                    public void close() {
                        // a snapshot holds no resources
                    }
                };
            }
        };
    }

    static WeirException unbounded(CatalogObject object) {
        return new WeirException(ErrorCode.UNBOUNDED_QUERY_NOT_SUPPORTED, "Stream '" + object.name()
                + "' is unbounded, so a plain SELECT over it would never end. Use SELECT STREAM ... for a continuous query,"
                + " or add LIMIT 0 to read only its columns");
    }

    /**
     * Polls the reader batch by batch and hands out rows in Calcite's representation; stops at the
     * next row once the statement is cancelled (a query over a large source, or one multiplying rows
     * in a join, checks at every row of its outermost scan).
     */
    private static final class SourceEnumerator implements Enumerator<Object[]> {
        private final CatalogObject object;
        private final SourceReader reader;
        private final AtomicBoolean cancelled;
        private final BatchBuilder builder;
        private final List<ColumnDefinition> columns;
        private final int[] physicalIndex;
        private Batch batch;
        private int row = -1;
        private Object[] current;
        private boolean closed;

        SourceEnumerator(CatalogObject object, List<ColumnDefinition> columns, SourceReader reader, AtomicBoolean cancelled) {
            this.object = object;
            this.reader = reader;
            this.cancelled = cancelled;
            List<DataType.Field> physical = object.readerSchema();
            this.builder = new BatchBuilder(physical, BATCH_ROWS);
            this.columns = List.copyOf(columns);
            this.physicalIndex = new int[this.columns.size()];
            for (int i = 0; i < this.columns.size(); i++) {
                physicalIndex[i] = physicalPosition(physical, this.columns.get(i));
            }
        }

        private static int physicalPosition(List<DataType.Field> physical, ColumnDefinition column) {
            if (column.kind() == ColumnKind.COMPUTED) {
                return -1;
            }
            for (int i = 0; i < physical.size(); i++) {
                if (physical.get(i).name().equals(column.name())) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public Object[] current() {
            return current;
        }

        @Override
        public boolean moveNext() {
            checkCancelled();
            while (batch == null || ++row >= batch.rowCount()) {
                if (!fill()) {
                    return false;
                }
            }
            Object[] values = new Object[columns.size()];
            long now = System.currentTimeMillis();
            for (int i = 0; i < values.length; i++) {
                ColumnDefinition column = columns.get(i);
                if (physicalIndex[i] >= 0) {
                    values[i] = CalciteValues.toCalcite(column.type(), batch.value(physicalIndex[i], row));
                } else if (column.kind() == ColumnKind.COMPUTED && isProcessingTime(column)) {
                    values[i] = now;
                }
                // Computed columns are projected by Calcite over this scan (see ComputedColumnsTable).
            }
            current = values;
            return true;
        }

        private boolean fill() {
            if (closed) {
                return false;
            }
            int idlePolls = 0;
            while (!reader.isFinished()) {
                int added = reader.poll(builder, BATCH_ROWS);
                if (added > 0) {
                    batch = builder.build();
                    row = -1;
                    return true;
                }
                // A bounded reader with nothing right now is between files or waiting on I/O: back off briefly.
                checkCancelled();
                if (++idlePolls > 10) {
                    try {
                        Thread.sleep(Math.min(50, idlePolls));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new WeirException(ErrorCode.QUERY_CANCELLED, "Reading '" + object.name() + "' was interrupted", e);
                    }
                }
            }
            return false;
        }

        /** Stops the scan; whoever runs the statement reports why (the statement's {@code StatementCancel}). */
        private void checkCancelled() {
            if (cancelled.get()) {
                throw new WeirException(ErrorCode.STATEMENT_CANCELLED, "Reading '" + object.name() + "' stopped: the statement was cancelled");
            }
        }

        @Override
        public void reset() {
            throw new UnsupportedOperationException("a source cannot be re-read by the same enumerator");
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                reader.close();
            }
        }
    }

    static boolean isProcessingTime(ColumnDefinition column) {
        return column.kind() == ColumnKind.COMPUTED
                && column.expression().toUpperCase(Locale.ROOT).replaceAll("[\\s`\"]", "").equals("PROCTIME()");
    }
}
