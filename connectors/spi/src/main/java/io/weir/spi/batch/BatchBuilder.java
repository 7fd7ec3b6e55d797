package io.weir.spi.batch;

import io.weir.spi.type.DataType;
import io.weir.spi.type.Projection;
import io.weir.spi.type.TypeKind;

import java.util.Arrays;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Builds {@link Batch}es row by row into growable primitive arrays (no per-row objects for
 * primitive columns). Every committed row is stamped with the current split id
 * ({@link #setSplit(int)}, sticky, initially 0) and, once a reader called {@link #setOffset(long)},
 * with the current offset. {@link #build()} hands the arrays to the batch and
 * leaves the builder empty and reusable. Not thread-safe.
 *
 * <p>A builder for a {@link Projection} keeps no values for the columns it does not read: writes to
 * them are ignored and they are NULL in every batch (vectors over arrays shared by the builder's
 * batches), so a source's columns no query reads cost neither memory nor time.
 */
public final class BatchBuilder implements RowWriter {
    private static final int DEFAULT_CAPACITY = 1024;

    private final List<DataType.Field> rowType;
    private final TypeKind.Representation[] representations;
    private final int initialCapacity;
    private final boolean[] written;
    /** The columns kept, in order; the others are always NULL. */
    private final int[] kept;
    private final boolean[] dropped;
    /** Read-only arrays at least as long as the largest batch built, behind the vectors of the dropped columns. */
    private boolean[] allNull = new boolean[0];
    private long[] noLongs = new long[0];
    private double[] noDoubles = new double[0];
    private boolean[] noBooleans = new boolean[0];
    private Object[] noObjects = new Object[0];

    private int capacity;
    private long[][] longs;
    private double[][] doubles;
    private boolean[][] booleans;
    private Object[][] objects;
    private boolean[][] nulls;
    private int[] splitIds;
    /** Allocated by the first {@link #setOffset(long)} of a batch. */
    private long[] offsets;
    /** See {@link #arrived}: the first stated arrival, the others' sum of differences to it, and their rows. */
    private long arrivalBase;
    private double arrivalOffsetSum;
    private long arrivedRows;
    private int rowCount;
    /** The most rows a batch of this builder held, so that the next batch's arrays fit such a batch without growing. */
    private int largestBatch;
    private int currentSplit;
    private long currentOffset = -1;

    public BatchBuilder(List<DataType.Field> rowType) {
        this(rowType, DEFAULT_CAPACITY);
    }

    public BatchBuilder(List<DataType.Field> rowType, int initialCapacity) {
        this(rowType, initialCapacity, Projection.all());
    }

    /** A builder that keeps only the columns {@code projection} reads; the others are NULL. */
    public BatchBuilder(List<DataType.Field> rowType, int initialCapacity, Projection projection) {
        this.rowType = List.copyOf(requireNonNull(rowType, "rowType is null"));
        requireNonNull(projection, "projection is null");
        if (initialCapacity < 1) {
            throw new IllegalArgumentException("initial capacity must be positive: " + initialCapacity);
        }
        this.initialCapacity = initialCapacity;
        int columns = this.rowType.size();
        this.representations = new TypeKind.Representation[columns];
        for (int column = 0; column < columns; column++) {
            representations[column] = this.rowType.get(column).type().kind().representation();
        }
        this.written = new boolean[columns];
        this.dropped = new boolean[columns];
        this.kept = projection.columns(columns).stream().mapToInt(Integer::intValue).toArray();
        for (int column = 0; column < columns; column++) {
            dropped[column] = !projection.reads(column);
        }
        allocate(initialCapacity);
    }

    private void allocate(int newCapacity) {
        int columns = representations.length;
        capacity = newCapacity;
        longs = new long[columns][];
        doubles = new double[columns][];
        booleans = new boolean[columns][];
        objects = new Object[columns][];
        nulls = new boolean[columns][];
        for (int column : kept) {
            nulls[column] = new boolean[newCapacity];
            switch (representations[column]) {
                case LONG -> longs[column] = new long[newCapacity];
                case DOUBLE -> doubles[column] = new double[newCapacity];
                case BOOLEAN -> booleans[column] = new boolean[newCapacity];
                case OBJECT -> objects[column] = new Object[newCapacity];
            }
        }
        splitIds = new int[newCapacity];
        offsets = null;
    }

    @Override
    public List<DataType.Field> rowType() {
        return rowType;
    }

    /** Committed rows so far. */
    public int rowCount() {
        return rowCount;
    }

    public boolean isEmpty() {
        return rowCount == 0;
    }

    /** The split id stamped on rows committed from now on. */
    public void setSplit(int splitId) {
        if (splitId < 0) {
            throw new IllegalArgumentException("split ids are non-negative: " + splitId);
        }
        currentSplit = splitId;
    }

    public int currentSplit() {
        return currentSplit;
    }

    /**
     * That {@code rows} of the rows committed arrived at the server at {@code nanos} ({@link System#nanoTime()}),
     * for readers that receive records before the query reads them (an ingest endpoint's buffer); the batch
     * carries their mean ({@link Batch#arrivalNanos()}). The rows of readers that do not say arrived when the
     * query read them.
     */
    public void arrived(long nanos, int rows) {
        if (rows <= 0) {
            return;
        }
        if (arrivedRows == 0) {
            arrivalBase = nanos;
        }
        arrivalOffsetSum += (double) (nanos - arrivalBase) * rows;
        arrivedRows += rows;
    }

    private long meanArrival() {
        return arrivedRows == 0 ? Batch.ARRIVAL_UNKNOWN : arrivalBase + (long) (arrivalOffsetSum / arrivedRows);
    }

    private void forgetArrivals() {
        arrivedRows = 0;
        arrivalOffsetSum = 0;
    }

    /**
     * The offset in its split of the row committed next (Kafka: the record's offset); sticky. Readers
     * that can be read by offset ({@link io.weir.spi.connector.OffsetReader}) set it for every row.
     */
    public void setOffset(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("offsets are non-negative: " + offset);
        }
        if (offsets == null) {
            offsets = new long[capacity];
            Arrays.fill(offsets, 0, rowCount, -1);
        }
        currentOffset = offset;
    }

    @Override
    public void setNull(int column) {
        if (dropped[column]) {
            return;
        }
        nulls[column][rowCount] = true;
        if (objects[column] != null) {
            objects[column][rowCount] = null;
        }
        written[column] = true;
    }

    @Override
    public void setLong(int column, long value) {
        long[] values = longs[column];
        if (values == null) {
            if (dropped[column]) {
                return;
            }
            throw wrongRepresentation(column, "setLong");
        }
        values[rowCount] = value;
        nulls[column][rowCount] = false;
        written[column] = true;
    }

    @Override
    public void setDouble(int column, double value) {
        double[] values = doubles[column];
        if (values == null) {
            if (dropped[column]) {
                return;
            }
            throw wrongRepresentation(column, "setDouble");
        }
        values[rowCount] = value;
        nulls[column][rowCount] = false;
        written[column] = true;
    }

    @Override
    public void setBoolean(int column, boolean value) {
        boolean[] values = booleans[column];
        if (values == null) {
            if (dropped[column]) {
                return;
            }
            throw wrongRepresentation(column, "setBoolean");
        }
        values[rowCount] = value;
        nulls[column][rowCount] = false;
        written[column] = true;
    }

    @Override
    public void setObject(int column, Object value) {
        Object[] values = objects[column];
        if (values == null) {
            if (dropped[column]) {
                return;
            }
            throw wrongRepresentation(column, "setObject");
        }
        values[rowCount] = value;
        nulls[column][rowCount] = value == null;
        written[column] = true;
    }

    private IllegalArgumentException wrongRepresentation(int column, String method) {
        DataType.Field field = rowType.get(column);
        return new IllegalArgumentException(method + " on column '" + field.name() + "' of type " + field.type()
                + " (representation " + representations[column] + ")");
    }

    @Override
    public void commitRow() {
        int row = rowCount;
        for (int column : kept) {
            if (!written[column]) {
                nulls[column][row] = true;
                if (objects[column] != null) {
                    objects[column][row] = null;
                }
            }
            written[column] = false;
        }
        splitIds[row] = currentSplit;
        if (offsets != null) {
            offsets[row] = currentOffset;
        }
        rowCount = row + 1;
        if (rowCount == capacity) {
            grow();
        }
    }

    @Override
    public void abortRow() {
        int row = rowCount;
        for (int column : kept) {
            if (objects[column] != null) {
                objects[column][row] = null; // do not keep a failed record's objects reachable
            }
            written[column] = false;
        }
    }

    private void grow() {
        int newCapacity = capacity > Integer.MAX_VALUE / 2 ? Integer.MAX_VALUE - 8 : capacity * 2;
        if (newCapacity <= capacity) {
            throw new IllegalStateException("batch too large: " + capacity + " rows");
        }
        for (int column : kept) {
            nulls[column] = Arrays.copyOf(nulls[column], newCapacity);
            switch (representations[column]) {
                case LONG -> longs[column] = Arrays.copyOf(longs[column], newCapacity);
                case DOUBLE -> doubles[column] = Arrays.copyOf(doubles[column], newCapacity);
                case BOOLEAN -> booleans[column] = Arrays.copyOf(booleans[column], newCapacity);
                case OBJECT -> objects[column] = Arrays.copyOf(objects[column], newCapacity);
            }
        }
        splitIds = Arrays.copyOf(splitIds, newCapacity);
        if (offsets != null) {
            offsets = Arrays.copyOf(offsets, newCapacity);
        }
        capacity = newCapacity;
    }

    /**
     * The committed rows as a batch; a partly written row is discarded. The builder is empty
     * afterwards (the split id is kept) and fresh arrays are allocated for the next batch.
     */
    public Batch build() {
        abortRow();
        ColumnVector[] vectors = new ColumnVector[representations.length];
        if (kept.length < representations.length && allNull.length < rowCount) {
            int length = Math.max(rowCount, capacity);
            allNull = new boolean[length];
            Arrays.fill(allNull, true);
            noLongs = new long[length];
            noDoubles = new double[length];
            noBooleans = new boolean[length];
            noObjects = new Object[length];
        }
        for (int column = 0; column < representations.length; column++) {
            DataType type = rowType.get(column).type();
            if (dropped[column]) {
                vectors[column] = switch (representations[column]) {
                    case LONG -> new LongVector(type, rowCount, noLongs, allNull);
                    case DOUBLE -> new DoubleVector(type, rowCount, noDoubles, allNull);
                    case BOOLEAN -> new BooleanVector(type, rowCount, noBooleans, allNull);
                    case OBJECT -> new ObjectVector(type, rowCount, noObjects, allNull);
                };
                continue;
            }
            vectors[column] = switch (representations[column]) {
                case LONG -> new LongVector(type, rowCount, longs[column], nulls[column]);
                case DOUBLE -> new DoubleVector(type, rowCount, doubles[column], nulls[column]);
                case BOOLEAN -> new BooleanVector(type, rowCount, booleans[column], nulls[column]);
                case OBJECT -> new ObjectVector(type, rowCount, objects[column], nulls[column]);
            };
        }
        Batch batch = new Batch(rowType, rowCount, vectors, splitIds, offsets, rowCount == 0 ? Batch.ARRIVAL_UNKNOWN : meanArrival());
        forgetArrivals();
        largestBatch = Math.max(largestBatch, rowCount);
        rowCount = 0;
        // Room for the largest batch so far and a quarter more (full arrays grow at once, see commitRow; batches that
        // grow slowly grow the arrays rarely), not the grown capacity: a reader filling batches of exactly 4,096 rows grew
        // its arrays to 8,192 once, then allocated and zeroed twice the memory it used for every batch after
        // (async-profiler, a Kafka source's query thread).
        allocate(Math.max(initialCapacity, Math.min(largestBatch + largestBatch / 4 + 1, 1 << 16)));
        return batch;
    }

    /** Drops all rows, including a partly written one; keeps the arrays. */
    public void reset() {
        for (Object[] values : objects) {
            if (values != null) {
                Arrays.fill(values, 0, Math.min(rowCount + 1, capacity), null);
            }
        }
        Arrays.fill(written, false);
        rowCount = 0;
        forgetArrivals();
    }
}
