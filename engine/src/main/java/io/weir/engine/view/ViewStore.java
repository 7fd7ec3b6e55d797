package io.weir.engine.view;

import io.weir.engine.state.StateReader;
import io.weir.engine.state.StateWriter;
import io.weir.engine.state.ValueCodec;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static java.util.Objects.requireNonNull;

/**
 * The rows of one materialized view. Its query writes each micro-batch's rows ({@link #apply}) and then
 * {@link #publish}es them: readers ({@link #snapshot()}) see the view as of the last published
 * micro-batch, never half of one, and change subscribers receive the batch's changes. Writes come from
 * the view's query thread only; reads from any thread.
 */
public final class ViewStore {
    private static final int CHECKPOINT_VERSION = 1;

    private final String name;
    private final ViewLayout layout;
    private final InstantSource clock;
    /** The working rows, by key (for keyless views, by a sequence number). */
    private final Map<List<Object>, Entry> rows = new LinkedHashMap<>();
    private final List<ViewChange> pendingChanges = new ArrayList<>();
    private final List<ChangeSubscription> subscribers = new CopyOnWriteArrayList<>();
    private volatile Snapshot snapshot = new Snapshot(List.of(), 0, Long.MIN_VALUE);
    private long sequence;
    private long latestWindowEnd = Long.MIN_VALUE;
    private long version;

    /** A row and when it was last written (for retention of views without windows). */
    private record Entry(Object[] row, long writtenAt) {
    }

    /**
     * The view as of one micro-batch.
     *
     * @param version how many micro-batches have been published
     * @param publishedAtMillis when, in the clock's time
     */
    public record Snapshot(List<Object[]> rows, long version, long publishedAtMillis) {
        public Snapshot {
            rows = Collections.unmodifiableList(requireNonNull(rows, "rows is null"));
        }
    }

    ViewStore(String name, ViewLayout layout, InstantSource clock) {
        this.name = requireNonNull(name, "name is null");
        this.layout = requireNonNull(layout, "layout is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public String name() {
        return name;
    }

    public ViewLayout layout() {
        return layout;
    }

    /** Applies the rows of a result batch of the view's query (columns as {@link ViewLayout#writtenColumns()}). */
    public synchronized void apply(Batch batch) {
        int columns = layout.columns().size();
        long now = clock.millis();
        for (int r = 0; r < batch.rowCount(); r++) {
            Object[] row = new Object[columns];
            for (int c = 0; c < columns; c++) {
                row[c] = batch.value(c, r);
            }
            boolean keep = !layout.keepColumn() || Boolean.TRUE.equals(batch.value(columns, r));
            List<Object> key = key(row);
            Entry previous = keep ? rows.put(key, new Entry(row, now)) : rows.remove(key);
            if (keep) {
                if (previous == null) {
                    pendingChanges.add(new ViewChange(ViewChange.Operation.INSERT, row));
                } else if (!Arrays.deepEquals(previous.row(), row)) {
                    pendingChanges.add(new ViewChange(ViewChange.Operation.UPDATE_BEFORE, previous.row()));
                    pendingChanges.add(new ViewChange(ViewChange.Operation.UPDATE_AFTER, row));
                }
            } else if (previous != null) {
                pendingChanges.add(new ViewChange(ViewChange.Operation.DELETE, previous.row()));
            }
            layout.windowEndColumn().ifPresent(column -> {
                if (row[column] instanceof Long end && end > latestWindowEnd) {
                    latestWindowEnd = end;
                }
            });
        }
    }

    private List<Object> key(Object[] row) {
        if (layout.keyColumns().isEmpty()) {
            return List.of(sequence++);
        }
        Object[] key = new Object[layout.keyColumns().size()];
        for (int i = 0; i < key.length; i++) {
            Object value = row[layout.keyColumns().get(i)];
            key[i] = value instanceof byte[] bytes ? List.of(Arrays.toString(bytes)) : value;
        }
        return Arrays.asList(key);
    }

    /** Ends a micro-batch: applies retention, makes its rows visible and hands its changes to subscribers. */
    public synchronized void publish() {
        long now = clock.millis();
        layout.retention().ifPresent(retention -> evict(retention.toMillis(), now));
        List<Object[]> visible = new ArrayList<>(rows.size());
        for (Entry entry : rows.values()) {
            visible.add(entry.row());
        }
        version++;
        snapshot = new Snapshot(visible, version, now);
        if (!pendingChanges.isEmpty()) {
            List<ViewChange> changes = List.copyOf(pendingChanges);
            pendingChanges.clear();
            for (ChangeSubscription subscriber : subscribers) {
                subscriber.offer(changes);
            }
        }
    }

    private void evict(long retentionMillis, long now) {
        Iterator<Entry> iterator = rows.values().iterator();
        while (iterator.hasNext()) {
            Entry entry = iterator.next();
            boolean expired = layout.windowEndColumn().isPresent()
                    ? entry.row()[layout.windowEndColumn().get()] instanceof Long end
                    && latestWindowEnd != Long.MIN_VALUE && end < latestWindowEnd - retentionMillis
                    : entry.writtenAt() < now - retentionMillis;
            if (expired) {
                iterator.remove();
                pendingChanges.add(new ViewChange(ViewChange.Operation.DELETE, entry.row()));
            }
        }
    }

    /**
     * The view's rows for a checkpoint, taken at a micro-batch boundary (after {@link #publish}): the
     * rows, when each was written, and the latest window end seen (for retention).
     */
    public synchronized byte[] checkpoint() {
        StateWriter out = new StateWriter(Math.max(64, rows.size() * 32));
        out.writeInt(CHECKPOINT_VERSION);
        out.writeInt(layout.columns().size());
        out.writeLong(latestWindowEnd);
        out.writeInt(rows.size());
        for (Entry entry : rows.values()) {
            out.writeLong(entry.writtenAt());
            for (int c = 0; c < layout.columns().size(); c++) {
                ValueCodec.write(out, layout.columns().get(c).type(), entry.row()[c]);
            }
        }
        return out.toByteArray();
    }

    /** Replaces the rows with a {@link #checkpoint()}'s and publishes them, before the view's query runs on. */
    public synchronized void restore(byte[] checkpoint) {
        StateReader in = new StateReader(checkpoint);
        int version = in.readInt();
        int columns = in.readInt();
        if (version != CHECKPOINT_VERSION || columns != layout.columns().size()) {
            throw new WeirException(ErrorCode.INTERNAL_ERROR, "Cannot restore materialized view '" + name + "': its checkpoint"
                    + " has version " + version + " and " + columns + " columns, the view version " + CHECKPOINT_VERSION
                    + " and " + layout.columns().size() + "; drop and create the view again");
        }
        rows.clear();
        pendingChanges.clear();
        sequence = 0;
        latestWindowEnd = in.readLong();
        int count = in.readInt();
        for (int r = 0; r < count; r++) {
            long writtenAt = in.readLong();
            Object[] row = new Object[columns];
            for (int c = 0; c < columns; c++) {
                row[c] = ValueCodec.read(in, layout.columns().get(c).type());
            }
            rows.put(key(row), new Entry(row, writtenAt));
        }
        publish();
    }

    /** The view as of the last published micro-batch. */
    public Snapshot snapshot() {
        return snapshot;
    }

    /**
     * Subscribes to the view's changes: first its current rows, as inserts, then the changes of every
     * micro-batch published after.
     */
    public synchronized ChangeSubscription subscribe(int maxPendingChanges) {
        ChangeSubscription subscription = new ChangeSubscription(this, maxPendingChanges);
        List<ViewChange> current = new ArrayList<>();
        for (Object[] row : snapshot.rows()) {
            current.add(new ViewChange(ViewChange.Operation.INSERT, row));
        }
        subscription.offer(current);
        subscribers.add(subscription);
        return subscription;
    }

    void unsubscribe(ChangeSubscription subscription) {
        subscribers.remove(subscription);
    }

    /** Ends every subscription: the view was dropped. */
    void close() {
        for (ChangeSubscription subscriber : subscribers) {
            subscriber.end();
        }
        subscribers.clear();
    }
}
