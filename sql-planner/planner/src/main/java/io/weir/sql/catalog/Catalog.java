package io.weir.sql.catalog;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.sql.auth.Securable;
import io.weir.sql.auth.UserDirectory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The registered streams, tables and views. Names are unique ignoring case (unquoted identifiers are
 * case-insensitive) and keep the case they were declared with; each object also has an identity
 * ({@link CatalogObject#id()}) by which views and queries refer to it.
 *
 * <p>Reads see an immutable snapshot and never block. Changes are serialized, written to the
 * {@link CatalogStore} first and published only once durable: a change the user was told succeeded
 * survives a restart. The catalog refuses to drop or replace an object that other objects depend on,
 * and to register an object whose dependencies are gone.
 *
 * <p>The catalog also holds the server's {@link #users() users}, kept beside the objects.
 */
public final class Catalog {
    private final CatalogStore store;
    private final UserDirectory users;
    private final List<Consumer<CatalogChange>> listeners = new CopyOnWriteArrayList<>();
    private volatile Map<String, CatalogObject> objects;

    private Catalog(CatalogStore store, List<CatalogObject> initial, UserDirectory users) {
        this.store = store;
        this.users = users;
        Map<String, CatalogObject> map = new TreeMap<>();
        for (CatalogObject object : initial) {
            map.put(key(object.name()), object);
        }
        this.objects = java.util.Collections.unmodifiableMap(map);
        // grants follow the objects they are on: gone with them (also when the server stopped between the
        // object's drop and its grants'), and none for a new object of an old name
        users.retainGrants(grant -> grant.on().kind() == Securable.Kind.SERVER || grant.on().kind() == Securable.Kind.CONNECTOR
                || get(grant.on().name()).flatMap(Catalog::securable).filter(on -> on.sameAs(grant.on())).isPresent());
        listeners.add(change -> {
            if (change.kind() != CatalogChange.Kind.REPLACED) {
                users.dropGrantsOn(change.object().name());
            }
        });
    }

    /**
     * What privileges on {@code object} are granted on; empty for a view, which has none of its own: who may
     * read what it reads may read it (see {@link io.weir.sql.auth.Authorizer}).
     */
    public static Optional<Securable> securable(CatalogObject object) {
        return switch (object.type()) {
            case STREAM -> Optional.of(new Securable(Securable.Kind.STREAM, object.name()));
            case TABLE -> Optional.of(new Securable(Securable.Kind.TABLE, object.name()));
            case MATERIALIZED_VIEW -> Optional.of(new Securable(Securable.Kind.MATERIALIZED_VIEW, object.name()));
            case VIEW -> Optional.empty();
        };
    }

    /** A catalog persisted by {@code store}, loaded from it. */
    public static Catalog open(CatalogStore store) {
        return new Catalog(store, store.load(), UserDirectory.open(store.file().getParent()));
    }

    /** A catalog that lives in memory only (tests, embedded use). */
    public static Catalog inMemory() {
        return new Catalog(null, List.of(), UserDirectory.inMemory());
    }

    /** The directory the catalog is kept in; empty for a catalog in memory. */
    public Optional<java.nio.file.Path> directory() {
        return store == null ? Optional.empty() : Optional.of(store.file().getParent());
    }

    /** The users of the server, and their tokens. */
    public UserDirectory users() {
        return users;
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    public Optional<CatalogObject> get(String name) {
        return Optional.ofNullable(objects.get(key(name)));
    }

    /** The object with this identity, if it is still registered. */
    public Optional<CatalogObject> byId(String id) {
        if (id == null) {
            return Optional.empty();
        }
        return objects.values().stream().filter(o -> o.id().equals(id)).findFirst();
    }

    /** The object {@code reference} refers to, if it is still registered. */
    public Optional<CatalogObject> resolve(ObjectReference reference) {
        return reference.identity().flatMap(this::byId);
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
     * The objects that depend on {@code object}, directly or through others, ordered so that each comes
     * before every object of the list it depends on: the order to drop them in.
     */
    public List<CatalogObject> dependantsOf(CatalogObject object) {
        return dependants(objects, object);
    }

    private static List<CatalogObject> dependants(Map<String, CatalogObject> objects, CatalogObject object) {
        Map<String, CatalogObject> found = new LinkedHashMap<>();
        List<CatalogObject> pending = new ArrayList<>(List.of(object));
        while (!pending.isEmpty()) {
            CatalogObject next = pending.remove(pending.size() - 1);
            for (CatalogObject candidate : objects.values()) {
                if (candidate.dependsOn(next) && found.putIfAbsent(candidate.id(), candidate) == null) {
                    pending.add(candidate);
                }
            }
        }
        List<CatalogObject> remaining = new ArrayList<>(found.values());
        remaining.sort(Comparator.comparing(o -> key(o.name())));
        List<CatalogObject> ordered = new ArrayList<>();
        while (!remaining.isEmpty()) {
            CatalogObject free = remaining.stream()
                    .filter(candidate -> remaining.stream().noneMatch(other -> other.dependsOn(candidate)))
                    .findFirst()
                    .orElse(remaining.get(0)); // a cycle cannot be created; take any to make progress
            ordered.add(free);
            remaining.remove(free);
        }
        return ordered;
    }

    /**
     * Runs {@code action} with every other change to the catalog held off, so that what it checks (an
     * object's dependants, that a query's objects still exist) stays true while it acts on it. Reads go on.
     */
    public synchronized <T> T exclusive(Supplier<T> action) {
        return action.get();
    }

    /**
     * Fails unless every object in {@code references} is still registered.
     *
     * @param what the dependant, for the message: {@code "View 'v'"}, {@code "Query 'a1b2c3d4'"}
     * @param remedy what the user can do, appended to the message
     * @throws WeirException {@link ErrorCode#DEPENDENCY_DROPPED} naming the first object that is gone
     */
    public void checkCurrent(Collection<ObjectReference> references, String what, String remedy) {
        for (ObjectReference reference : references) {
            if (resolve(reference).isEmpty()) {
                throw dropped(what, reference, remedy);
            }
        }
    }

    /** The error for a dependant whose {@code reference} is gone. */
    public WeirException dropped(String what, ObjectReference reference, String remedy) {
        String message = what + " reads " + reference.describe() + ", which was dropped";
        Optional<CatalogObject> sameName = get(reference.name());
        if (sameName.isPresent()) {
            message += "; the " + sameName.get().type().displayName() + " '" + sameName.get().name()
                    + "' registered since is another object, and it is not attached to it";
        }
        return new WeirException(ErrorCode.DEPENDENCY_DROPPED, message + ". " + remedy);
    }

    /**
     * Registers {@code object}.
     *
     * @return false if it existed and {@code ifNotExists} asked to leave it alone
     * @throws WeirException when an object of the name exists (without OR REPLACE), when the one it
     *         would replace has dependants, or when one of its dependencies is gone
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
            refuseIfDependants(existing, "replace");
            if (object.dependsOn(existing)) {
                throw new WeirException(ErrorCode.VALIDATION_ERROR, object.type().capitalizedName() + " '" + object.name()
                        + "' would read the " + existing.type().displayName() + " it replaces; a view cannot read itself");
            }
        }
        if (object.dependencies() != null) {
            checkCurrent(object.dependencies(), object.type().capitalizedName() + " '" + object.name() + "'",
                    "It was dropped while the statement ran; create the " + object.type().displayName() + " again");
        }
        Map<String, CatalogObject> next = new TreeMap<>(objects);
        next.put(key(object.name()), object);
        publish(next);
        notifyListeners(new CatalogChange(existing == null ? CatalogChange.Kind.CREATED : CatalogChange.Kind.REPLACED, object));
        return true;
    }

    /**
     * Removes the object named {@code name}, which must be of {@code type} and have no dependants
     * (drop those first).
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
        refuseIfDependants(existing, "drop");
        Map<String, CatalogObject> next = new TreeMap<>(objects);
        next.remove(key(name));
        publish(next);
        notifyListeners(new CatalogChange(CatalogChange.Kind.DROPPED, existing));
        return true;
    }

    private void refuseIfDependants(CatalogObject object, String verb) {
        List<CatalogObject> dependants = dependantsOf(object);
        if (!dependants.isEmpty()) {
            throw new WeirException(ErrorCode.DEPENDENT_OBJECTS_EXIST, "Cannot " + verb + " " + object.type().displayName()
                    + " '" + object.name() + "': " + dependants.stream()
                    .map(d -> d.type().displayName() + " '" + d.name() + "'").collect(Collectors.joining(", "))
                    + " depend" + (dependants.size() == 1 ? "s" : "") + " on it. Drop "
                    + (dependants.size() == 1 ? "it" : "them") + " first, or use DROP " + object.type().sqlName() + " "
                    + object.name() + " CASCADE");
        }
    }

    /**
     * Records the dependencies of objects whose catalog was written without them (see
     * {@link CatalogObject#dependencies()}), in one durable change; no listener is told, nothing else changes.
     *
     * @param dependencies per object identity, what it depends on
     */
    public synchronized void recordDependencies(Map<String, List<ObjectReference>> dependencies) {
        if (dependencies.isEmpty()) {
            return;
        }
        Map<String, CatalogObject> next = new TreeMap<>(objects);
        next.replaceAll((key, object) -> dependencies.containsKey(object.id())
                ? object.withDependencies(dependencies.get(object.id())) : object);
        publish(next);
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
