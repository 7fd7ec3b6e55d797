package io.weir.engine.view;

import java.util.ArrayDeque;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One reader's queue of a view's changes. A reader that falls more than {@code maxPendingChanges}
 * behind is cut off (its query fails saying so) rather than holding the view's query back.
 */
public final class ChangeSubscription implements AutoCloseable {
    private final ViewStore store;
    private final int maxPendingChanges;
    private final ArrayDeque<ViewChange> pending = new ArrayDeque<>();
    private boolean overflowed;
    private boolean ended;

    ChangeSubscription(ViewStore store, int maxPendingChanges) {
        this.store = requireNonNull(store, "store is null");
        this.maxPendingChanges = maxPendingChanges;
    }

    synchronized void offer(List<ViewChange> changes) {
        if (overflowed) {
            return;
        }
        if (pending.size() + changes.size() > maxPendingChanges) {
            overflowed = true;
            pending.clear();
            return;
        }
        pending.addAll(changes);
    }

    synchronized void end() {
        ended = true;
    }

    /** The next change, or null when none is pending. */
    public synchronized ViewChange poll() {
        return pending.poll();
    }

    /** Whether the reader fell too far behind and changes were dropped. */
    public synchronized boolean overflowed() {
        return overflowed;
    }

    /** Whether the view was dropped and no change will follow the pending ones. */
    public synchronized boolean ended() {
        return ended && pending.isEmpty();
    }

    @Override
    public void close() {
        store.unsubscribe(this);
    }
}
