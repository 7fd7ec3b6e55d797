package io.weir.engine.view;

import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The stores of one server's materialized views, by view name (case-insensitive): the view's query
 * writes to its store through the {@code materialized-view} connector (which finds this object in
 * {@link io.weir.spi.connector.ConnectorContext#services()}), plain SELECTs read its snapshot, and
 * {@code SELECT STREAM} subscribes to its changes. Thread-safe.
 */
public final class MaterializedViews implements AutoCloseable {
    private final ConcurrentMap<String, ViewStore> stores = new ConcurrentHashMap<>();

    /**
     * A new, empty store for a view's query starting now, replacing any earlier store of that name (a
     * restarted query computes the view again from its sources; until its first micro-batch is
     * published, readers see the view empty).
     */
    public ViewStore open(String name, ViewLayout layout, InstantSource clock) {
        ViewStore store = new ViewStore(name, layout, clock);
        ViewStore previous = stores.put(key(name), store);
        if (previous != null) {
            previous.close();
        }
        return store;
    }

    public Optional<ViewStore> get(String name) {
        return Optional.ofNullable(stores.get(key(name)));
    }

    /** Forgets the view's rows and ends its change streams. */
    public void drop(String name) {
        ViewStore store = stores.remove(key(name));
        if (store != null) {
            store.close();
        }
    }

    /** Forgets every view's rows and ends their change streams (server shutdown). */
    @Override
    public void close() {
        for (String name : List.copyOf(stores.keySet())) {
            drop(name);
        }
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
