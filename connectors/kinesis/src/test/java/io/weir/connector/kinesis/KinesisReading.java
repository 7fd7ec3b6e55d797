package io.weir.connector.kinesis;

import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.SourceReader;
import io.weir.spi.connector.Split;
import io.weir.spi.type.DataType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.awaitility.Awaitility.await;

/** Polls a reader as the engine does, keeping each row with the name of its split and its offset. */
final class KinesisReading {
    /** A row read: its values, its split's name and its offset. */
    record Row(Object[] values, String shard, long offset) {
        Object value(int column) {
            return values[column];
        }
    }

    private final SourceReader reader;
    private final List<DataType.Field> rowType;
    private final List<Row> rows = new ArrayList<>();

    KinesisReading(SourceReader reader, List<DataType.Field> rowType) {
        this.reader = reader;
        this.rowType = rowType;
    }

    /** Polls until {@code count} rows were read in all (waiting up to {@code timeout}); returns all rows so far. */
    List<Row> readUntil(int count, Duration timeout) {
        await("reading " + count + " rows").atMost(timeout).pollInterval(Duration.ofMillis(20)).until(() -> {
            pollOnce();
            return rows.size() >= count;
        });
        return List.copyOf(rows);
    }

    /** Polls for {@code duration} and returns every row read so far (to see that no more rows come). */
    List<Row> readFor(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            pollOnce();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return List.copyOf(rows);
    }

    void pollOnce() {
        BatchBuilder builder = new BatchBuilder(rowType, 16);
        int added;
        do {
            added = reader.poll(builder, 50);
            Batch batch = builder.build();
            List<Split> splits = reader.splits();
            for (int row = 0; row < batch.rowCount(); row++) {
                rows.add(new Row(batch.row(row), splits.get(batch.splitId(row)).name(), batch.offset(row)));
            }
            builder = new BatchBuilder(rowType, 16);
        } while (added > 0);
    }

    List<Row> rows() {
        return List.copyOf(rows);
    }

    /** The rows by split name, each in the order read. */
    static Map<String, List<Row>> byShard(List<Row> rows) {
        Map<String, List<Row>> byShard = new TreeMap<>();
        rows.forEach(row -> byShard.computeIfAbsent(row.shard(), s -> new ArrayList<>()).add(row));
        return byShard;
    }
}
