package io.weir.sql.catalog;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The registered streams and tables. Names are unique ignoring case (unquoted identifiers are
 * case-insensitive) and keep the case they were declared with.
 *
 * <p>Reads see an immutable snapshot and never block. Changes are serialized, written to the
 * {@link CatalogStore} first and published only once durable: a change the user was told succeeded
 * survives a restart.
 */
public final class Catalog {
    private final CatalogStore store;
    private final List<Consumer<CatalogChange>> listeners = new CopyOnWriteArrayList<>();
    private volatile Map<String, CatalogObject> objects;

    private Catalog(CatalogStore store, List<CatalogObject> initial) {
        this.store = store;
        Map<String, CatalogObject> map = new TreeMap<>();
        for (CatalogObject object : initial) {
            map.put(key(object.name()), object);
        }
        this.objects = java.util.Collections.unmodifiableMap(map);
    }

    /** A catalog persisted by {@code store}, loaded from it. */
    public static Catalog open(CatalogStore store) {
        return new Catalog(store, store.load());
    }

    /** A catalog that lives in memory only (tests, embedded use). */
    public static Catalog inMemory() {
        return new Catalog(null, List.of());
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    public Optional<CatalogObject> get(String name) {
        return Optional.ofNullable(objects.get(key(name)));
    }

    /** All objects, ordered by name. */
    public List<CatalogObject> list() {
        return List.copyOf(objects.values());
    }

    public List<CatalogObject> list(ObjectType type) {
        return objects.values().stream()
                .filter(o -> o.type() == type)
                .sorted(Comparator.comparing(o -> key(o.name())))
                .toList();
    }

    /**
     * Registers {@code object}.
     *
     * @return false if it existed and {@code ifNotExists} asked to leave it alone
     */
    public synchronized boolean create(CatalogObject object, boolean orReplace, boolean ifNotExists) {
        CatalogObject existing = objects.get(key(object.name()));
        if (existing != null) {
            if (ifNotExists) {
                return false;
            }
            if (!orReplace) {
                throw new WeirException(ErrorCode.OBJECT_ALREADY_EXISTS, existingMessage(existing)
                        + ". Use CREATE OR REPLACE " + object.type() + " to replace it, or IF NOT EXISTS to keep it");
            }
            if (existing.type() != object.type()) {
                throw new WeirException(ErrorCode.OBJECT_ALREADY_EXISTS, existingMessage(existing)
                        + "; drop it first with DROP " + existing.type().sqlName() + " " + existing.name());
            }
        }
        Map<String, CatalogObject> next = new TreeMap<>(objects);
        next.put(key(object.name()), object);
        publish(next);
        notifyListeners(new CatalogChange(existing == null ? CatalogChange.Kind.CREATED : CatalogChange.Kind.REPLACED, object));
        return true;
    }

    /**
     * Removes the object named {@code name}, which must be of {@code type}.
     *
     * @return false if it did not exist and {@code ifExists} was given
     */
    public synchronized boolean drop(String name, ObjectType type, boolean ifExists) {
        CatalogObject existing = objects.get(key(name));
        if (existing == null) {
            if (ifExists) {
                return false;
            }
            throw new WeirException(ErrorCode.UNKNOWN_OBJECT, type.capitalizedName() + " '" + name + "' does not exist. SHOW "
                    + type.sqlName() + "S lists the registered ones");
        }
        if (existing.type() != type) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, "'" + existing.name() + "' is a " + existing.type().displayName()
                    + ", not a " + type.displayName() + ": use DROP " + existing.type().sqlName() + " " + existing.name());
        }
        Map<String, CatalogObject> next = new TreeMap<>(objects);
        next.remove(key(name));
        publish(next);
        notifyListeners(new CatalogChange(CatalogChange.Kind.DROPPED, existing));
        return true;
    }

    private void publish(Map<String, CatalogObject> next) {
        if (store != null) {
            store.save(new ArrayList<>(next.values()));
        }
        objects = java.util.Collections.unmodifiableMap(next);
    }

    private static String existingMessage(CatalogObject existing) {
        return "A " + existing.type().displayName() + " named '" + existing.name() + "' already exists";
    }

    /** Called after each durable change, on the thread that made it. */
    public void addListener(Consumer<CatalogChange> listener) {
        listeners.add(listener);
    }

    private void notifyListeners(CatalogChange change) {
        for (Consumer<CatalogChange> listener : listeners) {
            listener.accept(change);
        }
    }

    /** A change to the catalog, for listeners (e.g. to stop queries over a dropped stream). */
    public record CatalogChange(Kind kind, CatalogObject object) {
        public enum Kind { CREATED, REPLACED, DROPPED }
    }
}
