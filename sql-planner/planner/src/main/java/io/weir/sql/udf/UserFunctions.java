package io.weir.sql.udf;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.FileRoots;
import io.weir.sql.function.ProcessingTime;
import org.apache.calcite.schema.Function;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

import static java.util.Objects.requireNonNull;

/**
 * A server's user-defined functions: their definitions, kept durably beside the catalog, and their
 * loaded classes, which queries call. A function whose jar cannot be loaded when the server starts (the
 * jar was removed, or the file roots changed) stays registered with its error, shown by SHOW FUNCTIONS,
 * until it is dropped or replaced; queries cannot call it meanwhile.
 *
 * <p>Changes are serialized and durable before they are seen, as the catalog's are.
 */
public final class UserFunctions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UserFunctions.class);

    private final FunctionStore store;
    private final Optional<FileRoots> roots;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile Map<String, Registered> functions;

    /** One function: its definition, and its loaded jar or why it could not be loaded. */
    public record Registered(FunctionDefinition definition, Optional<FunctionJar> jar, Optional<String> error) {
        /** The overloads' signatures, {@code (BIGINT) -> BIGINT}, in order. */
        public List<String> signatures() {
            return jar.map(FunctionJar::signatures).orElse(List.of());
        }

        /** {@code SCALAR} or {@code AGGREGATE}; {@code UNKNOWN} while its jar cannot be loaded. */
        public String kind() {
            return jar.map(FunctionJar::kind).orElse("UNKNOWN");
        }

        /** Whether queries can call it: its jar loaded. */
        public boolean loaded() {
            return jar.isPresent();
        }

        List<Function> overloads() {
            return jar.map(FunctionJar::functions).orElse(List.of());
        }
    }

    private UserFunctions(FunctionStore store, Optional<FileRoots> roots) {
        this.store = store;
        this.roots = requireNonNull(roots, "roots is null");
        Map<String, Registered> loaded = new TreeMap<>();
        for (FunctionDefinition definition : store == null ? List.<FunctionDefinition>of() : store.load()) {
            loaded.put(key(definition.name()), loadStored(definition));
        }
        this.functions = java.util.Collections.unmodifiableMap(loaded);
        if (!loaded.isEmpty()) {
            LOG.info("Loaded {} user-defined functions", loaded.values().stream().filter(f -> f.jar().isPresent()).count());
        }
    }

    /**
     * The functions kept in {@code directory} (the catalog's), loaded.
     *
     * @param roots where jars may be; empty: anywhere (an embedded engine)
     */
    public static UserFunctions open(Path directory, Optional<FileRoots> roots) {
        return new UserFunctions(new FunctionStore(directory), roots);
    }

    /** Functions in memory only (tests, embedded use). */
    public static UserFunctions inMemory(Optional<FileRoots> roots) {
        return new UserFunctions(null, roots);
    }

    private Registered loadStored(FunctionDefinition definition) {
        try {
            Path path = FunctionJar.resolve(definition.name(), definition.jar(), roots);
            return new Registered(definition, Optional.of(FunctionJar.load(definition.name(), definition.className(), path)),
                    Optional.empty());
        } catch (WeirException e) {
            LOG.warn("Function '{}' is registered but cannot be loaded: {}", definition.name(), e.getMessage());
            return new Registered(definition, Optional.empty(), Optional.of(e.getMessage()));
        }
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    public Optional<Registered> get(String name) {
        return Optional.ofNullable(functions.get(key(name)));
    }

    /** All functions, by name. */
    public List<Registered> list() {
        return List.copyOf(functions.values());
    }

    /** The names of the functions queries can call. */
    public Set<String> callableNames() {
        Set<String> names = new TreeSet<>();
        for (Registered function : functions.values()) {
            if (function.jar().isPresent()) {
                names.add(function.definition().name());
            }
        }
        return names;
    }

    /** The overloads of the function named {@code name} (ignoring case), as Calcite calls them; empty for none. */
    public Collection<Function> overloads(String name) {
        Registered function = functions.get(key(name));
        return function == null ? List.of() : List.copyOf(function.overloads());
    }

    /**
     * Loads and registers a function; a replaced one is unloaded once the new one is registered.
     *
     * @return false when it existed and {@code ifNotExists} asked to leave it
     */
    public synchronized boolean create(String name, String className, String jar, String ddl, boolean orReplace,
                                       boolean ifNotExists) {
        Registered existing = functions.get(key(name));
        if (existing != null && ifNotExists) {
            return false;
        }
        if (existing != null && !orReplace) {
            throw new WeirException(ErrorCode.OBJECT_ALREADY_EXISTS, "A function named '" + existing.definition().name()
                    + "' already exists. Use CREATE OR REPLACE FUNCTION to replace it, or IF NOT EXISTS to keep it");
        }
        refuseBuiltIn(name);
        Path path = FunctionJar.resolve(name, jar, roots);
        FunctionJar loaded = FunctionJar.load(name, className, path);
        Registered registered = new Registered(new FunctionDefinition(name, className, jar, path.toString(), ddl, Instant.now()),
                Optional.of(loaded), Optional.empty());
        Map<String, Registered> next = new TreeMap<>(functions);
        next.put(key(name), registered);
        try {
            publish(next);
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
        if (existing != null) {
            existing.jar().ifPresent(FunctionJar::close);
        }
        LOG.info("{} function '{}' ({} from {}): {}", existing == null ? "Created" : "Replaced", name, className, path,
                registered.signatures());
        return true;
    }

    /** @return false when it did not exist and {@code ifExists} was given */
    public synchronized boolean drop(String name, boolean ifExists) {
        Registered existing = functions.get(key(name));
        if (existing == null) {
            if (ifExists) {
                return false;
            }
            throw new WeirException(ErrorCode.UNKNOWN_OBJECT, "Function '" + name + "' does not exist. SHOW FUNCTIONS lists"
                    + " the user-defined ones");
        }
        Map<String, Registered> next = new TreeMap<>(functions);
        next.remove(key(name));
        publish(next);
        existing.jar().ifPresent(FunctionJar::close);
        LOG.info("Dropped function '{}'", existing.definition().name());
        return true;
    }

    private void publish(Map<String, Registered> next) {
        if (store != null) {
            store.save(next.values().stream().map(Registered::definition).toList());
        }
        functions = java.util.Collections.unmodifiableMap(next);
        listeners.forEach(Runnable::run);
    }

    /** Called after each change, on the thread that made it (e.g. to forget plans that called a replaced function). */
    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    /** The names of the built-in functions, upper case, in order: what SHOW FUNCTIONS lists first. */
    public static List<String> builtInNames() {
        Set<String> names = new TreeSet<>();
        for (SqlOperator operator : SqlStdOperatorTable.instance().getOperatorList()) {
            if (operator instanceof org.apache.calcite.sql.SqlFunction && operator.getName().matches("[A-Z_][A-Z0-9_]*")) {
                names.add(operator.getName());
            }
        }
        names.add(ProcessingTime.NAME);
        return new ArrayList<>(names);
    }

    private static void refuseBuiltIn(String name) {
        if (builtInNames().contains(name.toUpperCase(Locale.ROOT))) {
            throw new WeirException(ErrorCode.OBJECT_ALREADY_EXISTS, "'" + name + "' is a built-in function; give the"
                    + " user-defined function another name");
        }
    }

    /** Unloads every function (when the server stops); their definitions stay stored. */
    @Override
    public synchronized void close() {
        for (Registered function : functions.values()) {
            function.jar().ifPresent(FunctionJar::close);
        }
    }
}
