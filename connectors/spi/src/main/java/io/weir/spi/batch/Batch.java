package io.weir.spi.batch;

import io.weir.spi.type.DataType;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * An immutable columnar micro-batch: a row count, one {@link ColumnVector} per column of the row
 * type, and for every row the id of the source split it came from (see
 * {@link io.weir.spi.connector.SourceReader}) and, when the reader says, the row's offset in that
 * split. Build one with {@link BatchBuilder}. A batch read from a source also carries when its rows arrived at
 * the server ({@link #arrivalNanos()}), which operators deriving rows from it keep, for the end-to-end latency.
 */
public final class Batch {
    /** {@link #arrivalNanos()} of a batch whose rows' arrival is not known (rows built from operator state). */
    public static final long ARRIVAL_UNKNOWN = Long.MIN_VALUE;

    private final List<DataType.Field> rowType;
    private final int rowCount;
    private final ColumnVector[] columns;
    private final int[] splitIds;
    /** Null when the reader gave no offsets. */
    private final long[] offsets;
    private final long arrivalNanos;

    Batch(List<DataType.Field> rowType, int rowCount, ColumnVector[] columns, int[] splitIds) {
        this(rowType, rowCount, columns, splitIds, null, ARRIVAL_UNKNOWN);
    }

    Batch(List<DataType.Field> rowType, int rowCount, ColumnVector[] columns, int[] splitIds, long[] offsets,
          long arrivalNanos) {
        this.arrivalNanos = arrivalNanos;
        this.rowType = List.copyOf(requireNonNull(rowType, "rowType is null"));
        this.columns = requireNonNull(columns, "columns is null");
        this.splitIds = requireNonNull(splitIds, "splitIds is null");
        this.offsets = offsets;
        if (columns.length != rowType.size()) {
            throw new IllegalArgumentException(columns.length + " columns for a row type of " + rowType.size());
        }
        if (rowCount < 0 || splitIds.length < rowCount || (offsets != null && offsets.length < rowCount)) {
            throw new IllegalArgumentException("bad row count " + rowCount);
        }
        for (int column = 0; column < columns.length; column++) {
            if (columns[column].size() != rowCount) {
                throw new IllegalArgumentException("column " + column + " has " + columns[column].size() + " values for "
                        + rowCount + " rows");
            }
        }
        this.rowCount = rowCount;
    }

    /**
     * A batch over existing vectors, e.g. built by an operator; each vector's size must be
     * {@code rowCount}. The arrays are not copied: callers must not change them afterwards.
     *
     * @param splitIds the split of each row, at least {@code rowCount} long
     */
    public static Batch of(List<DataType.Field> rowType, int rowCount, List<ColumnVector> columns, int[] splitIds) {
        return new Batch(rowType, rowCount, columns.toArray(ColumnVector[]::new), splitIds);
    }

    /** A batch of the given rows (representation values), all from split 0; for tests and small fixtures. */
    public static Batch of(List<DataType.Field> rowType, List<Object[]> rows) {
        BatchBuilder builder = new BatchBuilder(rowType, Math.max(1, rows.size()));
        for (Object[] row : rows) {
            if (row.length != rowType.size()) {
                throw new IllegalArgumentException("row of " + row.length + " values for " + rowType.size() + " columns");
            }
            for (int column = 0; column < row.length; column++) {
                builder.set(column, row[column]);
            }
            builder.commitRow();
        }
        return builder.build();
    }

    public List<DataType.Field> rowType() {
        return rowType;
    }

    public int rowCount() {
        return rowCount;
    }

    public boolean isEmpty() {
        return rowCount == 0;
    }

    public int columnCount() {
        return columns.length;
    }

    public ColumnVector column(int column) {
        return columns[column];
    }

    public boolean isNull(int column, int row) {
        return columns[column].isNull(row);
    }

    /** The value as its representation object (boxed); null for NULL. See {@link ColumnVector#value(int)}. */
    public Object value(int column, int row) {
        return columns[column].value(row);
    }

    /** The id of the split row {@code row} was read from. */
    public int splitId(int row) {
        if (row < 0 || row >= rowCount) {
            throw new IndexOutOfBoundsException("row " + row + " outside a batch of " + rowCount + " rows");
        }
        return splitIds[row];
    }

    /**
     * The offset of row {@code row} in its split (see {@link BatchBuilder#setOffset(long)}), or -1
     * when the reader gave none.
     */
    public long offset(int row) {
        if (row < 0 || row >= rowCount) {
            throw new IndexOutOfBoundsException("row " + row + " outside a batch of " + rowCount + " rows");
        }
        return offsets == null ? -1 : offsets[row];
    }

    /**
     * When its rows arrived at the server ({@link System#nanoTime()}): when its source's reader received them
     * (an ingest endpoint; the mean over the rows, see {@link BatchBuilder#arrived}) or else read them; {@link #ARRIVAL_UNKNOWN} for rows built from an operator's
     * state rather than from rows read in this micro-batch.
     */
    public long arrivalNanos() {
        return arrivalNanos;
    }

    /** This batch stamped as having arrived at {@code nanos} ({@link System#nanoTime()}). */
    public Batch withArrival(long nanos) {
        return nanos == arrivalNanos ? this : new Batch(rowType, rowCount, columns, splitIds, offsets, nanos);
    }

    /**
     * The rows {@code rows[0..count)}, in that order, as a new batch; each row's split id becomes
     * {@code splitIdMap[splitId]} (the ids stay when the map is null).
     */
    public Batch select(int[] rows, int count, int[] splitIdMap) {
        if (count < 0 || count > rows.length) {
            throw new IllegalArgumentException("bad row count " + count);
        }
        ColumnVector[] selected = new ColumnVector[columns.length];
        for (int column = 0; column < columns.length; column++) {
            selected[column] = columns[column].select(rows, count);
        }
        int[] selectedSplits = new int[count];
        long[] selectedOffsets = offsets == null ? null : new long[count];
        for (int i = 0; i < count; i++) {
            int row = rows[i];
            if (row < 0 || row >= rowCount) {
                throw new IndexOutOfBoundsException("row " + row + " outside a batch of " + rowCount + " rows");
            }
            selectedSplits[i] = splitIdMap == null ? splitIds[row] : splitIdMap[splitIds[row]];
            if (selectedOffsets != null) {
                selectedOffsets[i] = offsets[row];
            }
        }
        return new Batch(rowType, count, selected, selectedSplits, selectedOffsets, arrivalNanos);
    }

    /**
     * This batch with one more column after its others, e.g. one computed from them; the rows keep
     * their split ids and offsets. {@code values} must have a value for every row.
     */
    public Batch withColumn(DataType.Field field, ColumnVector values) {
        requireNonNull(field, "field is null");
        requireNonNull(values, "values is null");
        List<DataType.Field> widened = new ArrayList<>(rowType);
        widened.add(field);
        ColumnVector[] all = java.util.Arrays.copyOf(columns, columns.length + 1);
        all[columns.length] = values;
        return new Batch(widened, rowCount, all, splitIds, offsets, arrivalNanos);
    }

    /**
     * This batch's columns with the split ids and offsets of rows {@code rows[0..rowCount)} of {@code source}: for an
     * operator whose output row {@code i} is computed from row {@code rows[i]} of its input, to keep where each
     * row was read (and when the source's rows arrived).
     */
    public Batch withPositionsOf(Batch source, int[] rows) {
        requireNonNull(source, "source is null");
        if (rows.length < rowCount) {
            throw new IllegalArgumentException(rows.length + " rows for a batch of " + rowCount);
        }
        int[] ids = new int[rowCount];
        long[] sourceOffsets = source.offsets == null ? null : new long[rowCount];
        for (int i = 0; i < rowCount; i++) {
            ids[i] = source.splitId(rows[i]);
            if (sourceOffsets != null) {
                sourceOffsets[i] = source.offsets[rows[i]];
            }
        }
        return new Batch(rowType, rowCount, columns, ids, sourceOffsets, source.arrivalNanos);
    }

    /** One row as representation objects. */
    public Object[] row(int row) {
        Object[] values = new Object[columns.length];
        for (int column = 0; column < columns.length; column++) {
            values[column] = columns[column].value(row);
        }
        return values;
    }

    /** All rows as representation objects; for tests and row-oriented consumers. */
    public List<Object[]> rows() {
        List<Object[]> rows = new ArrayList<>(rowCount);
        for (int row = 0; row < rowCount; row++) {
            rows.add(row(row));
        }
        return rows;
    }

    @Override
    public String toString() {
        return "Batch[" + rowCount + " rows x " + columns.length + " columns]";
    }
}
