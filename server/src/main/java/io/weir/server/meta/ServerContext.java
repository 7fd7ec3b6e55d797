package io.weir.server.meta;

import io.weir.sql.catalog.Catalog;
import io.weir.sql.catalog.CatalogStore;
import io.weir.sql.session.SessionProperties;
import io.weir.sql.statement.StatementExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * What the server's sessions share: the persistent catalog in the data directory and the
 * statement executor over it.
 */
public final class ServerContext implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServerContext.class);

    private final Path dataDir;
    private final Catalog catalog;
    private final StatementExecutor executor;
    private final Map<String, String> sessionDefaults;

    private ServerContext(Path dataDir, Catalog catalog, StatementExecutor executor, Map<String, String> sessionDefaults) {
        this.dataDir = requireNonNull(dataDir, "dataDir is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.executor = requireNonNull(executor, "executor is null");
        this.sessionDefaults = Map.copyOf(sessionDefaults);
        // Fail at start-up, not at the first connection, when a configured default is invalid.
        newSessionProperties();
    }

    /**
     * Opens the catalog under {@code dataDir/catalog}.
     *
     * @param sessionDefaults server-wide defaults for session properties (e.g. batch.interval)
     */
    public static ServerContext open(Path dataDir, Map<String, String> sessionDefaults) {
        Path absolute = dataDir.toAbsolutePath().normalize();
        Catalog catalog = Catalog.open(new CatalogStore(absolute.resolve("catalog")));
        LOG.info("Catalog loaded from {}: {} streams and tables", absolute.resolve("catalog"), catalog.list().size());
        return new ServerContext(absolute, catalog, new StatementExecutor(catalog, absolute), sessionDefaults);
    }

    public Path dataDir() {
        return dataDir;
    }

    public Catalog catalog() {
        return catalog;
    }

    public StatementExecutor executor() {
        return executor;
    }

    public SessionProperties newSessionProperties() {
        return new SessionProperties(sessionDefaults);
    }

    @Override
    public void close() {
        executor.close();
    }
}
