package io.weir.spi.connector.memory;

import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.OffsetReader;
import io.weir.spi.connector.Split;
import io.weir.spi.connector.SplitOffsets;
import io.weir.spi.type.ConversionException;
import io.weir.spi.type.DataType;
import io.weir.spi.type.ValueConversion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads an in-memory data set from a row index (its first row for push queries); one split (id 0),
 * whose offsets are row indexes. Bounded data sets end at the size seen when the reader was created.
 */
final class MemorySourceReader implements OffsetReader {
    private static final int SPLIT = 0;

    private final ConnectorContext context;
    private final InMemoryData.DataSet dataSet;
    private final List<DataType.Field> schema;
    private final String dataSetName;
    private final int end;
    private final List<Object[]> pending = new ArrayList<>();
    private int next;
    private boolean closed;

    MemorySourceReader(ConnectorContext context, InMemoryData.DataSet dataSet, long from) {
        this.context = context;
        this.dataSet = dataSet;
        this.schema = context.schema();
        this.dataSetName = context.options().string(MemoryConnectorFactory.DATA);
        this.end = dataSet.bounded() ? dataSet.size() : Integer.MAX_VALUE;
        this.next = (int) Math.max(0, Math.min(Integer.MAX_VALUE, from));
    }

    static String splitName(ConnectorContext context) {
        return "in-memory data set '" + context.options().string(MemoryConnectorFactory.DATA) + "'";
    }

    @Override
    public int poll(BatchBuilder out, int maxRows) {
        checkOpen();
        int available = Math.min(end, dataSet.size());
        int to = (int) Math.min(available, (long) next + maxRows);
        if (to <= next) {
            return 0;
        }
        pending.clear();
        dataSet.copy(next, to, pending);
        out.setSplit(SPLIT);
        int added = 0;
        for (Object[] row : pending) {
            int index = next++;
            String problem = write(row, out);
            if (problem == null) {
                out.setOffset(index);
                out.commitRow();
                added++;
            } else {
                out.abortRow();
                context.errorHandler().handle("in-memory data set '" + dataSetName + "' row " + (index + 1),
                        Arrays.deepToString(row), problem);
            }
        }
        pending.clear();
        context.errorHandler().recordsRead(added);
        return added;
    }

    /** Writes one row; returns the reason it cannot be converted, or null. */
    private String write(Object[] row, BatchBuilder out) {
        if (row.length != schema.size()) {
            return "expected " + schema.size() + " values but the row has " + row.length;
        }
        for (int column = 0; column < row.length; column++) {
            DataType.Field field = schema.get(column);
            try {
                Object value = ValueConversion.fromJava(field.type(), row[column]);
                if (value == null && !field.type().nullable()) {
                    return "field '" + field.name() + "': NULL for a NOT NULL column";
                }
                out.set(column, value);
            } catch (ConversionException e) {
                return "field '" + field.name() + "': " + e.getMessage();
            }
        }
        return null;
    }

    @Override
    public List<Split> splits() {
        return List.of(new Split(SPLIT, splitName(context), isFinished()));
    }

    @Override
    public SplitOffsets offsets() {
        return SplitOffsets.of(Map.of(splitName(context), (long) next));
    }

    @Override
    public void commit(String consumerId, SplitOffsets offsets) {
        offsets.get(splitName(context)).ifPresent(at -> dataSet.commit(consumerId, at));
    }

    @Override
    public boolean isFinished() {
        return dataSet.bounded() && next >= end;
    }

    @Override
    public void close() {
        closed = true;
        pending.clear();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("reader is closed");
        }
    }
}
