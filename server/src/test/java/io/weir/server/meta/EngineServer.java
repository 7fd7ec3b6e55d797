package io.weir.server.meta;

import io.weir.engine.exec.MicroBatchQueryEngine;
import io.weir.server.config.ServerConfig;
import io.weir.server.launcher.WeirServer;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

import static java.util.Objects.requireNonNull;

/**
 * A real server on a free loopback port, running queries on the micro-batch engine, over a data
 * directory that survives {@link #restart()}: for integration tests that connect with the JDBC driver.
 */
final class EngineServer implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Path dataDir;
    private final Map<String, String> sessionDefaults;
    private WeirMeta meta;
    private WeirServer server;
    private MicroBatchQueryEngine engine;

    private EngineServer(Path dataDir, Map<String, String> sessionDefaults) {
        this.dataDir = requireNonNull(dataDir, "dataDir is null");
        this.sessionDefaults = Map.copyOf(sessionDefaults);
    }

    /** Starts a server whose sessions run micro-batches every {@code batchInterval}. */
    static EngineServer start(Path dataDir, String batchInterval) throws IOException {
        EngineServer server = new EngineServer(dataDir, Map.of("batch.interval", batchInterval));
        server.startServer();
        return server;
    }

    private void startServer() throws IOException {
        meta = new WeirMeta(ServerContext.open(dataDir, sessionDefaults, directory -> engine = new MicroBatchQueryEngine()),
                Duration.ofMinutes(5));
        server = WeirServer.start(ServerConfig.builder().bindAddress("127.0.0.1").port(0).pgPort(0).dataDir(dataDir).build(), meta);
    }

    /** Stops the server and starts it again on the same data directory (on another port). */
    void restart() throws IOException {
        close();
        startServer();
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl());
    }

    String jdbcUrl() {
        return server.jdbcUrl();
    }

    MicroBatchQueryEngine engine() {
        return engine;
    }

    WeirMeta meta() {
        return meta;
    }

    int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
        meta.close();
    }

    /** Waits until {@code condition} holds, polling; fails after {@link #TIMEOUT}. */
    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + TIMEOUT);
            }
            Thread.sleep(25);
        }
    }

    /** Calls {@code callable}, turning its checked exceptions into unchecked ones (for conditions). */
    static <T> T unchecked(Callable<T> callable) {
        try {
            return callable.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
