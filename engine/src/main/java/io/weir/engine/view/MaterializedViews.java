package io.weir.engine.view;

import java.time.InstantSource;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The stores of the materialized views in this process, by view name (case-insensitive): the view's
 * query writes to its store through the {@code materialized-view} connector, plain SELECTs read its
 * snapshot, and {@code SELECT STREAM} subscribes to its changes. Thread-safe.
 */
public final class MaterializedViews {
    private static final ConcurrentMap<String, ViewStore> STORES = new ConcurrentHashMap<>();

    private MaterializedViews() {
    }

    /**
     * A new, empty store for a view's query starting now, replacing any earlier store of that name (a
     * restarted query computes the view again from its sources; until its first micro-batch is
     * published, readers see the view empty).
     */
    public static ViewStore open(String name, ViewLayout layout, InstantSource clock) {
        ViewStore store = new ViewStore(name, layout, clock);
        ViewStore previous = STORES.put(key(name), store);
        if (previous != null) {
            previous.close();
        }
        return store;
    }

    public static Optional<ViewStore> get(String name) {
        return Optional.ofNullable(STORES.get(key(name)));
    }

    /** Forgets the view's rows and ends its change streams. */
    public static void drop(String name) {
        ViewStore store = STORES.remove(key(name));
        if (store != null) {
            store.close();
        }
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
