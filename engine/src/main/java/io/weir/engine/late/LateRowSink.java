package io.weir.engine.late;

import io.weir.spi.WeirException;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.SinkWriter;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Writes a query's late rows into a sink stream ({@code 'late-rows.sink'}), each as a row of the sink's
 * columns, which are named as {@code sys.late_rows}'s ({@link Field}). Late rows are collected while a
 * micro-batch runs (by any of the query's tasks) and written at its end, before its checkpoint: a query
 * that checkpoints commits them with its checkpoints (see {@link CombinedSinkWriter}), so after a restart
 * the replayed input gives the same late rows and an exactly-once sink has each once; a query that does not
 * (a continuous query of a client) commits them at the end of every micro-batch.
 */
public final class LateRowSink implements AutoCloseable {
    /** The fields of a late row a sink column may take, by name. */
    public enum Field {
        QUERY_ID, STREAM_NAME, ROW_JSON, EVENT_TIME, WATERMARK, ARRIVED_AT;

        /** The column name, as in {@code sys.late_rows}. */
        public String columnName() {
            return name().toLowerCase(Locale.ROOT);
        }

        boolean isTime() {
            return this == EVENT_TIME || this == WATERMARK || this == ARRIVED_AT;
        }

        /** Whether a column of this kind can hold the field: text for text, TIMESTAMP or BIGINT (epoch milliseconds) for times. */
        public boolean accepts(TypeKind kind) {
            return isTime() ? kind == TypeKind.TIMESTAMP || kind == TypeKind.BIGINT
                    : kind == TypeKind.VARCHAR || kind == TypeKind.CHAR;
        }

        /** The field a column of this name holds, if any. */
        public static Optional<Field> named(String column) {
            for (Field field : values()) {
                if (field.columnName().equalsIgnoreCase(column)) {
                    return Optional.of(field);
                }
            }
            return Optional.empty();
        }
    }

    private final String sinkName;
    private final SinkWriter writer;
    private final List<DataType.Field> columns;
    private final Field[] fieldOf;
    private final List<LateRow> pending = new ArrayList<>();
    private long commits;
    private long rowsWritten;
    private boolean closed;

    /**
     * @param columns the sink's physical columns, each named as one of the {@link Field}s with a type that
     *        {@link Field#accepts} it (checked when the query was planned)
     */
    public LateRowSink(String sinkName, SinkWriter writer, List<DataType.Field> columns) {
        this.sinkName = requireNonNull(sinkName, "sinkName is null");
        this.writer = requireNonNull(writer, "writer is null");
        this.columns = List.copyOf(columns);
        this.fieldOf = new Field[columns.size()];
        for (int i = 0; i < fieldOf.length; i++) {
            DataType.Field column = columns.get(i);
            fieldOf[i] = Field.named(column.name()).filter(field -> field.accepts(column.type().kind()))
                    .orElseThrow(() -> new IllegalArgumentException("column '" + column.name() + "' " + column.type()
                            + " of late-row sink '" + sinkName + "' holds no field of a late row"));
        }
    }

    /** Keeps a late row for the end of the micro-batch; called by the query's tasks. */
    public synchronized void add(LateRow row) {
        pending.add(requireNonNull(row, "row is null"));
    }

    /**
     * At the end of a micro-batch: writes the late rows it found and flushes; without checkpoints, also
     * commits them.
     *
     * @throws WeirException SINK_ERROR when the sink cannot take them (the query fails and recovers)
     */
    public void endBatch(boolean checkpointed) {
        List<LateRow> rows;
        synchronized (this) {
            rows = List.copyOf(pending);
            pending.clear();
        }
        if (!rows.isEmpty()) {
            BatchBuilder out = new BatchBuilder(columns, rows.size());
            for (LateRow row : rows) {
                for (int c = 0; c < fieldOf.length; c++) {
                    out.set(c, value(fieldOf[c], row));
                }
                out.commitRow();
            }
            writer.write(out.build());
            rowsWritten += rows.size();
        }
        writer.flush();
        if (!checkpointed && !rows.isEmpty()) {
            commits++;
            writer.prepareCommit(commits);
            writer.commit(commits);
        }
    }

    private static Object value(Field field, LateRow row) {
        return switch (field) {
            case QUERY_ID -> row.queryId();
            case STREAM_NAME -> row.streams();
            case ROW_JSON -> row.row();
            case EVENT_TIME -> row.eventTime();
            case WATERMARK -> row.watermark();
            case ARRIVED_AT -> row.arrivedAt();
        };
    }

    /** The writer that commits the query's checkpoints: its sink's and this one's together. */
    public SinkWriter withQuerySink(Optional<SinkWriter> querySink) {
        return querySink.<SinkWriter>map(main -> new CombinedSinkWriter(List.of(main, writer))).orElse(writer);
    }

    /** Late rows written to the sink (in this run). */
    public long rowsWritten() {
        return rowsWritten;
    }

    public String sinkName() {
        return sinkName;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            writer.close();
        }
    }
}
