package io.weir.engine.changelog;

import io.weir.engine.expression.EvaluationContext;
import io.weir.engine.operator.Operator;
import io.weir.engine.operator.Watermark;
import io.weir.engine.plan.Changelog;
import io.weir.engine.state.ExpiringState;
import io.weir.engine.view.ViewChange.Operation;
import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.type.DataType;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;

import static java.util.Objects.requireNonNull;

/**
 * Runs a {@link Changelog}: compares each group's new row with the last one sent for its key and emits
 * the change ({@code op} column first, named as a materialized view's change stream names them). A row equal to the last one sent emits nothing; a row whose
 * keep flag is not TRUE removes its group ({@code DELETE} of the last row sent, if any). Rows of a
 * group always come from the same task (the aggregation before it is partitioned by these keys), so
 * each task keeps the last rows of its own groups.
 */
public final class ChangelogOperator implements Operator, ExpiringState {
    private final int[] keyColumns;
    private final boolean keepColumn;
    private final int rowColumns;
    private final List<DataType.Field> outputType;
    private final Map<List<Object>, Sent> sent = new HashMap<>();
    private final Queue<Batch> output = new ArrayDeque<>();
    private Watermark watermark = Watermark.INITIAL;
    private boolean finishing;
    private long now;
    private long ttlMillis = Long.MAX_VALUE;
    private long nextExpiry = Long.MIN_VALUE;
    private final Changelog.WindowRows windows;
    private final int[] timeColumns;
    /** With {@link #windows}: no row sent expires before this time. */
    private long nextWindowExpiry = Long.MIN_VALUE;

    /** The last row sent for a group, and when (processing time), for {@code 'state.ttl'}. */
    private record Sent(Object[] row, long at) {
    }

    public ChangelogOperator(Changelog plan) {
        requireNonNull(plan, "plan is null");
        this.keyColumns = plan.keyColumns().stream().mapToInt(Integer::intValue).toArray();
        this.keepColumn = plan.keepColumn();
        this.rowColumns = plan.rowColumns();
        this.outputType = plan.outputType();
        this.windows = plan.windows();
        this.timeColumns = windows == null ? new int[0] : windows.timeColumns().stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Forgets the groups not updated for {@code ttl}, as the aggregation before it drops their
     * accumulators: a forgotten group's next row is sent as an INSERT.
     */
    @Override
    public void expireAfter(Duration ttl) {
        ttlMillis = ttl.toMillis();
    }

    @Override
    public void startBatch(EvaluationContext context) {
        now = context.processingTimeMillis();
    }

    @Override
    public boolean needsInput() {
        return !finishing;
    }

    @Override
    public void addInput(Batch batch) {
        BatchBuilder changes = new BatchBuilder(outputType, Math.max(1, batch.rowCount()));
        for (int r = 0; r < batch.rowCount(); r++) {
            Object[] row = new Object[rowColumns];
            for (int c = 0; c < rowColumns; c++) {
                row[c] = batch.value(c, r);
            }
            boolean keep = !keepColumn || Boolean.TRUE.equals(batch.value(rowColumns, r));
            List<Object> key = key(row);
            Sent last = keep ? sent.put(key, new Sent(row, now)) : sent.remove(key);
            if (keep && windows != null) {
                nextWindowExpiry = Math.min(nextWindowExpiry, expiry(row));
            }
            Object[] previous = last == null ? null : last.row();
            if (keep) {
                if (previous == null) {
                    write(changes, Operation.INSERT, row);
                } else if (!Arrays.deepEquals(previous, row)) {
                    write(changes, Operation.UPDATE_BEFORE, previous);
                    write(changes, Operation.UPDATE_AFTER, row);
                }
            } else if (previous != null) {
                write(changes, Operation.DELETE, previous);
            }
        }
        if (!changes.isEmpty()) {
            output.add(changes.build().withArrival(batch.arrivalNanos())); // changes of this batch's rows
        }
    }

    private List<Object> key(Object[] row) {
        Object[] key = new Object[keyColumns.length];
        for (int i = 0; i < key.length; i++) {
            Object value = row[keyColumns[i]];
            // arrays compare by identity: key a BINARY group by its content
            key[i] = value instanceof byte[] bytes ? List.of(Arrays.toString(bytes)) : value;
        }
        return Arrays.asList(key);
    }

    private static void write(BatchBuilder changes, Operation change, Object[] row) {
        changes.set(0, change.name());
        for (int c = 0; c < row.length; c++) {
            changes.set(c + 1, row[c]);
        }
        changes.commitRow();
    }

    /** Groups whose last row is held: the state this operator keeps. */
    public int groups() {
        return sent.size();
    }

    @Override
    public Batch getOutput() {
        return output.poll();
    }

    @Override
    public void processWatermark(int input, Watermark watermark) {
        this.watermark = watermark;
        if (windows != null) {
            forgetFiredWindows(windows.eventTime() ? watermark.millis() : now);
        }
        if (ttlMillis != Long.MAX_VALUE && now >= nextExpiry) {
            // a scan of every group, a few times per TTL
            for (Iterator<Sent> groups = sent.values().iterator(); groups.hasNext(); ) {
                if (groups.next().at() < now - ttlMillis) {
                    groups.remove();
                }
            }
            nextExpiry = now + Math.max(1, ttlMillis / 4);
        }
    }

    /**
     * Forgets the rows of windows that have fired: their final rows came before the watermark (or the
     * processing time) that fired them, so nothing more comes for their keys.
     */
    private void forgetFiredWindows(long time) {
        if (time < nextWindowExpiry || time == Long.MIN_VALUE) {
            return;
        }
        long next = Long.MAX_VALUE;
        for (Iterator<Sent> groups = sent.values().iterator(); groups.hasNext(); ) {
            long expiry = expiry(groups.next().row());
            if (expiry <= time) {
                groups.remove();
            } else {
                next = Math.min(next, expiry);
            }
        }
        nextWindowExpiry = next;
    }

    private long expiry(Object[] row) {
        long latest = Long.MIN_VALUE;
        for (int column : timeColumns) {
            if (row[column] instanceof Long millis) {
                latest = Math.max(latest, millis);
            }
        }
        return latest == Long.MIN_VALUE ? Long.MIN_VALUE : latest + windows.retainMillis();
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
        return finishing && output.isEmpty();
    }
}
