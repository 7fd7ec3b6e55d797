package io.weir.server.config;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The server's settings; each field is described by the {@link ServerOptions} constant of the same
 * name, which also holds its default. Build one with {@link #defaults()} / {@link #builder()}, or
 * read one from flags, environment and config file with {@link ServerConfigLoader}.
 *
 * <p>The data directory defaults to {@code data} under the working directory (not under a
 * {@code WEIR_HOME}): running {@code bin/weir} from a checkout keeps state in {@code ./data}.
 *
 * @param bindAddress        {@link ServerOptions#BIND}
 * @param port               {@link ServerOptions#PORT}; 0 picks a free port
 * @param pgPort             {@link ServerOptions#PG_PORT}; 0 turns the PostgreSQL endpoint off, {@link #FREE_PORT}
 *                           (programmatic only: tests, embedding) picks a free port
 * @param dataDir            {@link ServerOptions#DATA_DIR}, absolute and normalized
 * @param ioThreads          {@link ServerOptions#IO_THREADS}; 0 means Netty's default
 * @param requestThreads     {@link ServerOptions#REQUEST_THREADS}
 * @param maxRequestBytes    {@link ServerOptions#MAX_REQUEST_BYTES}
 * @param shutdownTimeout    {@link ServerOptions#SHUTDOWN_TIMEOUT}
 * @param sessionIdleTimeout {@link ServerOptions#SESSION_IDLE_TIMEOUT}
 * @param batchInterval      {@link ServerOptions#BATCH_INTERVAL}
 * @param checkpointInterval {@link ServerOptions#CHECKPOINT_INTERVAL}
 * @param allowedLateness    {@link ServerOptions#ALLOWED_LATENESS}
 * @param stateMaxMemory     {@link ServerOptions#STATE_MAX_MEMORY}, in bytes
 * @param maxFetchWait       {@link ServerOptions#MAX_FETCH_WAIT}
 * @param statementTimeout   {@link ServerOptions#STATEMENT_TIMEOUT}; zero for none
 * @param parallelism        {@link ServerOptions#PARALLELISM}; 0 means the number of CPU cores
 * @param tlsCert            {@link ServerOptions#TLS_CERT}; given together with {@code tlsKey} or not at all
 * @param tlsKey             {@link ServerOptions#TLS_KEY}
 * @param adminPasswordFile  {@link ServerOptions#ADMIN_PASSWORD_FILE}
 * @param insecure           {@link ServerOptions#INSECURE}
 * @param maxHeaderBytes     {@link ServerOptions#MAX_HEADER_BYTES}
 * @param maxStatementLength {@link ServerOptions#MAX_STATEMENT_LENGTH}
 * @param maxConnectionsPerUser {@link ServerOptions#MAX_CONNECTIONS_PER_USER}
 * @param maxPushQueriesPerUser {@link ServerOptions#MAX_PUSH_QUERIES_PER_USER}
 * @param maxPersistentQueriesPerUser {@link ServerOptions#MAX_PERSISTENT_QUERIES_PER_USER}
 * @param allowedHosts       {@link ServerOptions#ALLOWED_HOSTS}; empty for the default ({@code BrowserGuard})
 * @param fileRoots          {@link ServerOptions#FILE_ROOTS}; empty for the default ({@link #effectiveFileRoots()})
 * @param adminPassword      the admin's password from {@link ServerOptions#ADMIN_PASSWORD_ENV}; not a setting of
 *                           its own (no flag, no config key), never printed
 */
public record ServerConfig(
        String bindAddress,
        int port,
        int pgPort,
        Path dataDir,
        int ioThreads,
        int requestThreads,
        int maxRequestBytes,
        Duration shutdownTimeout,
        Duration sessionIdleTimeout,
        Duration batchInterval,
        Duration checkpointInterval,
        Duration allowedLateness,
        long stateMaxMemory,
        Duration maxFetchWait,
        Duration statementTimeout,
        int parallelism,
        Optional<Path> tlsCert,
        Optional<Path> tlsKey,
        Optional<Path> adminPasswordFile,
        boolean insecure,
        List<Path> fileRoots,
        int maxHeaderBytes,
        int maxStatementLength,
        int maxConnectionsPerUser,
        int maxPushQueriesPerUser,
        int maxPersistentQueriesPerUser,
        List<String> allowedHosts,
        Optional<Secret> adminPassword) {

    /** @throws io.weir.spi.WeirException (INVALID_OPTION_VALUE) naming the first setting out of range */
    public ServerConfig {
        ServerOptions.BIND.check(bindAddress);
        ServerOptions.PORT.check(port);
        if (pgPort != FREE_PORT) {
            ServerOptions.PG_PORT.check(pgPort);
        }
        dataDir = ServerOptions.DATA_DIR.check(requireNonNull(dataDir, "dataDir is null").toAbsolutePath().normalize());
        ServerOptions.IO_THREADS.check(ioThreads);
        ServerOptions.REQUEST_THREADS.check(requestThreads);
        ServerOptions.MAX_REQUEST_BYTES.check(maxRequestBytes);
        ServerOptions.MAX_HEADER_BYTES.check(maxHeaderBytes);
        ServerOptions.MAX_STATEMENT_LENGTH.check(maxStatementLength);
        ServerOptions.MAX_CONNECTIONS_PER_USER.check(maxConnectionsPerUser);
        ServerOptions.MAX_PUSH_QUERIES_PER_USER.check(maxPushQueriesPerUser);
        ServerOptions.MAX_PERSISTENT_QUERIES_PER_USER.check(maxPersistentQueriesPerUser);
        ServerOptions.SHUTDOWN_TIMEOUT.check(shutdownTimeout);
        ServerOptions.SESSION_IDLE_TIMEOUT.check(sessionIdleTimeout);
        ServerOptions.BATCH_INTERVAL.check(batchInterval);
        ServerOptions.CHECKPOINT_INTERVAL.check(checkpointInterval);
        ServerOptions.ALLOWED_LATENESS.check(allowedLateness);
        ServerOptions.STATE_MAX_MEMORY.check(stateMaxMemory);
        ServerOptions.MAX_FETCH_WAIT.check(maxFetchWait);
        ServerOptions.STATEMENT_TIMEOUT.check(statementTimeout);
        ServerOptions.PARALLELISM.check(parallelism);
        ServerOptions.ADMIN_PASSWORD_FILE.check(adminPasswordFile);
        requireNonNull(adminPassword, "adminPassword is null");
        allowedHosts = List.copyOf(ServerOptions.ALLOWED_HOSTS.check(requireNonNull(allowedHosts, "allowedHosts is null")));
        fileRoots = List.copyOf(ServerOptions.FILE_ROOTS.check(requireNonNull(fileRoots, "fileRoots is null")).stream()
                .map(root -> root.toAbsolutePath().normalize()).toList());
        ServerOptions.TLS_CERT.check(tlsCert);
        ServerOptions.TLS_KEY.check(tlsKey);
        if (tlsCert.isPresent() != tlsKey.isPresent()) {
            ServerOption<?> missing = tlsCert.isPresent() ? ServerOptions.TLS_KEY : ServerOptions.TLS_CERT;
            throw new WeirException(ErrorCode.INVALID_OPTION_VALUE, ServerOptions.TLS_CERT.key() + " and "
                    + ServerOptions.TLS_KEY.key() + " go together: set " + missing.key() + " (" + missing.flag()
                    + ") as well to serve HTTPS, or neither to serve plain HTTP");
        }
    }

    /** Where connectors may read and write files: {@link #fileRoots}, or the data directory's {@code files/} when none are given. */
    public List<Path> effectiveFileRoots() {
        return fileRoots.isEmpty() ? List.of(dataDir.resolve("files")) : fileRoots;
    }

    /** What one statement and one user may take of the server. */
    public io.weir.sql.session.ServerLimits limits() {
        return new io.weir.sql.session.ServerLimits(maxStatementLength, maxConnectionsPerUser, maxPushQueriesPerUser,
                maxPersistentQueriesPerUser);
    }

    /** A {@link #pgPort} that picks a free port (the endpoint is on, at a port the system chooses). */
    public static final int FREE_PORT = -1;

    /** Whether the PostgreSQL endpoint is on. */
    public boolean pgEnabled() {
        return pgPort != 0;
    }

    /** Whether the server serves HTTPS ({@link #tlsCert} and {@link #tlsKey} are set). */
    public boolean tls() {
        return tlsCert.isPresent();
    }

    /** The tasks a query runs as unless its session says otherwise: {@link #parallelism}, or the number of CPU cores for 0. */
    public int effectiveParallelism() {
        return parallelism > 0 ? parallelism : Math.min(Runtime.getRuntime().availableProcessors(), ServerOptions.MAX_PARALLELISM);
    }

    /** Every setting at its default. */
    public static ServerConfig defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder()
                .bindAddress(bindAddress)
                .port(port)
                .pgPort(pgPort)
                .dataDir(dataDir)
                .ioThreads(ioThreads)
                .requestThreads(requestThreads)
                .maxRequestBytes(maxRequestBytes)
                .shutdownTimeout(shutdownTimeout)
                .sessionIdleTimeout(sessionIdleTimeout)
                .batchInterval(batchInterval)
                .checkpointInterval(checkpointInterval)
                .allowedLateness(allowedLateness)
                .stateMaxMemory(stateMaxMemory)
                .maxFetchWait(maxFetchWait)
                .statementTimeout(statementTimeout)
                .parallelism(parallelism)
                .tlsCert(tlsCert)
                .tlsKey(tlsKey)
                .adminPasswordFile(adminPasswordFile)
                .insecure(insecure)
                .fileRoots(fileRoots)
                .maxHeaderBytes(maxHeaderBytes)
                .maxStatementLength(maxStatementLength)
                .maxConnectionsPerUser(maxConnectionsPerUser)
                .maxPushQueriesPerUser(maxPushQueriesPerUser)
                .maxPersistentQueriesPerUser(maxPersistentQueriesPerUser)
                .allowedHosts(allowedHosts)
                .adminPassword(adminPassword);
    }

    /** The value of a setting, e.g. {@code value(ServerOptions.PORT)} is {@link #port()}. */
    @SuppressWarnings("unchecked")
    public <T> T value(ServerOption<T> option) {
        Object value;
        if (option == ServerOptions.BIND) {
            value = bindAddress;
        } else if (option == ServerOptions.PORT) {
            value = port;
        } else if (option == ServerOptions.DATA_DIR) {
            value = dataDir;
        } else if (option == ServerOptions.PG_PORT) {
            value = pgPort;
        } else if (option == ServerOptions.IO_THREADS) {
            value = ioThreads;
        } else if (option == ServerOptions.REQUEST_THREADS) {
            value = requestThreads;
        } else if (option == ServerOptions.MAX_REQUEST_BYTES) {
            value = maxRequestBytes;
        } else if (option == ServerOptions.SHUTDOWN_TIMEOUT) {
            value = shutdownTimeout;
        } else if (option == ServerOptions.SESSION_IDLE_TIMEOUT) {
            value = sessionIdleTimeout;
        } else if (option == ServerOptions.BATCH_INTERVAL) {
            value = batchInterval;
        } else if (option == ServerOptions.CHECKPOINT_INTERVAL) {
            value = checkpointInterval;
        } else if (option == ServerOptions.ALLOWED_LATENESS) {
            value = allowedLateness;
        } else if (option == ServerOptions.STATE_MAX_MEMORY) {
            value = stateMaxMemory;
        } else if (option == ServerOptions.MAX_FETCH_WAIT) {
            value = maxFetchWait;
        } else if (option == ServerOptions.STATEMENT_TIMEOUT) {
            value = statementTimeout;
        } else if (option == ServerOptions.PARALLELISM) {
            value = parallelism;
        } else if (option == ServerOptions.TLS_CERT) {
            value = tlsCert;
        } else if (option == ServerOptions.TLS_KEY) {
            value = tlsKey;
        } else if (option == ServerOptions.ADMIN_PASSWORD_FILE) {
            value = adminPasswordFile;
        } else if (option == ServerOptions.INSECURE) {
            value = insecure;
        } else if (option == ServerOptions.FILE_ROOTS) {
            value = fileRoots;
        } else if (option == ServerOptions.MAX_HEADER_BYTES) {
            value = maxHeaderBytes;
        } else if (option == ServerOptions.MAX_STATEMENT_LENGTH) {
            value = maxStatementLength;
        } else if (option == ServerOptions.MAX_CONNECTIONS_PER_USER) {
            value = maxConnectionsPerUser;
        } else if (option == ServerOptions.MAX_PUSH_QUERIES_PER_USER) {
            value = maxPushQueriesPerUser;
        } else if (option == ServerOptions.MAX_PERSISTENT_QUERIES_PER_USER) {
            value = maxPersistentQueriesPerUser;
        } else if (option == ServerOptions.ALLOWED_HOSTS) {
            value = allowedHosts;
        } else {
            throw new IllegalArgumentException("Not a server setting: " + option.key());
        }
        return (T) value;
    }

    /** Builds a {@link ServerConfig}; values are checked by {@link #build()}. */
    public static final class Builder {
        private String bindAddress = ServerOptions.BIND.defaultValue();
        private int port = ServerOptions.PORT.defaultValue();
        private int pgPort = ServerOptions.PG_PORT.defaultValue();
        private Path dataDir = ServerOptions.DATA_DIR.defaultValue();
        private int ioThreads = ServerOptions.IO_THREADS.defaultValue();
        private int requestThreads = ServerOptions.REQUEST_THREADS.defaultValue();
        private int maxRequestBytes = ServerOptions.MAX_REQUEST_BYTES.defaultValue();
        private Duration shutdownTimeout = ServerOptions.SHUTDOWN_TIMEOUT.defaultValue();
        private Duration sessionIdleTimeout = ServerOptions.SESSION_IDLE_TIMEOUT.defaultValue();
        private Duration batchInterval = ServerOptions.BATCH_INTERVAL.defaultValue();
        private Duration checkpointInterval = ServerOptions.CHECKPOINT_INTERVAL.defaultValue();
        private Duration allowedLateness = ServerOptions.ALLOWED_LATENESS.defaultValue();
        private long stateMaxMemory = ServerOptions.STATE_MAX_MEMORY.defaultValue();
        private Duration maxFetchWait = ServerOptions.MAX_FETCH_WAIT.defaultValue();
        private Duration statementTimeout = ServerOptions.STATEMENT_TIMEOUT.defaultValue();
        private int parallelism = ServerOptions.PARALLELISM.defaultValue();
        private Optional<Path> tlsCert = ServerOptions.TLS_CERT.defaultValue();
        private Optional<Path> tlsKey = ServerOptions.TLS_KEY.defaultValue();
        private Optional<Path> adminPasswordFile = ServerOptions.ADMIN_PASSWORD_FILE.defaultValue();
        private boolean insecure = ServerOptions.INSECURE.defaultValue();
        private List<Path> fileRoots = ServerOptions.FILE_ROOTS.defaultValue();
        private int maxHeaderBytes = ServerOptions.MAX_HEADER_BYTES.defaultValue();
        private int maxStatementLength = ServerOptions.MAX_STATEMENT_LENGTH.defaultValue();
        private int maxConnectionsPerUser = ServerOptions.MAX_CONNECTIONS_PER_USER.defaultValue();
        private int maxPushQueriesPerUser = ServerOptions.MAX_PUSH_QUERIES_PER_USER.defaultValue();
        private int maxPersistentQueriesPerUser = ServerOptions.MAX_PERSISTENT_QUERIES_PER_USER.defaultValue();
        private List<String> allowedHosts = ServerOptions.ALLOWED_HOSTS.defaultValue();
        private Optional<Secret> adminPassword = Optional.empty();

        private Builder() {
        }

        public Builder bindAddress(String bindAddress) {
            this.bindAddress = bindAddress;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** @param pgPort the PostgreSQL endpoint's port; 0 turns it off, {@link #FREE_PORT} picks a free one */
        public Builder pgPort(int pgPort) {
            this.pgPort = pgPort;
            return this;
        }

        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        public Builder ioThreads(int ioThreads) {
            this.ioThreads = ioThreads;
            return this;
        }

        public Builder requestThreads(int requestThreads) {
            this.requestThreads = requestThreads;
            return this;
        }

        public Builder maxRequestBytes(int maxRequestBytes) {
            this.maxRequestBytes = maxRequestBytes;
            return this;
        }

        public Builder shutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = shutdownTimeout;
            return this;
        }

        public Builder sessionIdleTimeout(Duration sessionIdleTimeout) {
            this.sessionIdleTimeout = sessionIdleTimeout;
            return this;
        }

        public Builder batchInterval(Duration batchInterval) {
            this.batchInterval = batchInterval;
            return this;
        }

        public Builder allowedLateness(Duration allowedLateness) {
            this.allowedLateness = allowedLateness;
            return this;
        }

        public Builder checkpointInterval(Duration checkpointInterval) {
            this.checkpointInterval = checkpointInterval;
            return this;
        }

        public Builder stateMaxMemory(long stateMaxMemory) {
            this.stateMaxMemory = stateMaxMemory;
            return this;
        }

        public Builder maxFetchWait(Duration maxFetchWait) {
            this.maxFetchWait = maxFetchWait;
            return this;
        }

        public Builder statementTimeout(Duration statementTimeout) {
            this.statementTimeout = statementTimeout;
            return this;
        }

        public Builder parallelism(int parallelism) {
            this.parallelism = parallelism;
            return this;
        }

        public Builder tlsCert(Optional<Path> tlsCert) {
            this.tlsCert = tlsCert;
            return this;
        }

        public Builder tlsKey(Optional<Path> tlsKey) {
            this.tlsKey = tlsKey;
            return this;
        }

        /** Serves HTTPS with this PEM certificate (chain) and private key. */
        public Builder tls(Path certificate, Path privateKey) {
            return tlsCert(Optional.of(certificate.toAbsolutePath().normalize()))
                    .tlsKey(Optional.of(privateKey.toAbsolutePath().normalize()));
        }

        public Builder adminPasswordFile(Optional<Path> adminPasswordFile) {
            this.adminPasswordFile = adminPasswordFile;
            return this;
        }

        public Builder insecure(boolean insecure) {
            this.insecure = insecure;
            return this;
        }

        public Builder fileRoots(List<Path> fileRoots) {
            this.fileRoots = fileRoots;
            return this;
        }

        public Builder maxHeaderBytes(int maxHeaderBytes) {
            this.maxHeaderBytes = maxHeaderBytes;
            return this;
        }

        public Builder maxStatementLength(int maxStatementLength) {
            this.maxStatementLength = maxStatementLength;
            return this;
        }

        public Builder maxConnectionsPerUser(int maxConnectionsPerUser) {
            this.maxConnectionsPerUser = maxConnectionsPerUser;
            return this;
        }

        public Builder maxPushQueriesPerUser(int maxPushQueriesPerUser) {
            this.maxPushQueriesPerUser = maxPushQueriesPerUser;
            return this;
        }

        public Builder maxPersistentQueriesPerUser(int maxPersistentQueriesPerUser) {
            this.maxPersistentQueriesPerUser = maxPersistentQueriesPerUser;
            return this;
        }

        public Builder allowedHosts(List<String> allowedHosts) {
            this.allowedHosts = allowedHosts;
            return this;
        }

        /** The admin's password itself (what {@link ServerOptions#ADMIN_PASSWORD_ENV} gives). */
        public Builder adminPassword(Optional<Secret> adminPassword) {
            this.adminPassword = adminPassword;
            return this;
        }

        /** Sets a setting by its declaration, e.g. {@code set(ServerOptions.PORT, 0)}. */
        public <T> Builder set(ServerOption<T> option, T value) {
            requireNonNull(value, option.key() + " is null");
            if (option == ServerOptions.BIND) {
                return bindAddress((String) value);
            } else if (option == ServerOptions.PORT) {
                return port((Integer) value);
            } else if (option == ServerOptions.PG_PORT) {
                return pgPort((Integer) value);
            } else if (option == ServerOptions.DATA_DIR) {
                return dataDir((Path) value);
            } else if (option == ServerOptions.IO_THREADS) {
                return ioThreads((Integer) value);
            } else if (option == ServerOptions.REQUEST_THREADS) {
                return requestThreads((Integer) value);
            } else if (option == ServerOptions.MAX_REQUEST_BYTES) {
                return maxRequestBytes((Integer) value);
            } else if (option == ServerOptions.SHUTDOWN_TIMEOUT) {
                return shutdownTimeout((Duration) value);
            } else if (option == ServerOptions.SESSION_IDLE_TIMEOUT) {
                return sessionIdleTimeout((Duration) value);
            } else if (option == ServerOptions.BATCH_INTERVAL) {
                return batchInterval((Duration) value);
            } else if (option == ServerOptions.CHECKPOINT_INTERVAL) {
                return checkpointInterval((Duration) value);
            } else if (option == ServerOptions.ALLOWED_LATENESS) {
                return allowedLateness((Duration) value);
            } else if (option == ServerOptions.STATE_MAX_MEMORY) {
                return stateMaxMemory((Long) value);
            } else if (option == ServerOptions.MAX_FETCH_WAIT) {
                return maxFetchWait((Duration) value);
            } else if (option == ServerOptions.STATEMENT_TIMEOUT) {
                return statementTimeout((Duration) value);
            } else if (option == ServerOptions.PARALLELISM) {
                return parallelism((Integer) value);
            } else if (option == ServerOptions.TLS_CERT) {
                return tlsCert(castOptionalPath(value));
            } else if (option == ServerOptions.TLS_KEY) {
                return tlsKey(castOptionalPath(value));
            } else if (option == ServerOptions.ADMIN_PASSWORD_FILE) {
                return adminPasswordFile(castOptionalPath(value));
            } else if (option == ServerOptions.INSECURE) {
                return insecure((Boolean) value);
            } else if (option == ServerOptions.FILE_ROOTS) {
                return fileRoots(castPathList(value));
            } else if (option == ServerOptions.MAX_HEADER_BYTES) {
                return maxHeaderBytes((Integer) value);
            } else if (option == ServerOptions.MAX_STATEMENT_LENGTH) {
                return maxStatementLength((Integer) value);
            } else if (option == ServerOptions.MAX_CONNECTIONS_PER_USER) {
                return maxConnectionsPerUser((Integer) value);
            } else if (option == ServerOptions.MAX_PUSH_QUERIES_PER_USER) {
                return maxPushQueriesPerUser((Integer) value);
            } else if (option == ServerOptions.MAX_PERSISTENT_QUERIES_PER_USER) {
                return maxPersistentQueriesPerUser((Integer) value);
            } else if (option == ServerOptions.ALLOWED_HOSTS) {
                return allowedHosts(castStringList(value));
            }
            throw new IllegalArgumentException("Not a server setting: " + option.key());
        }

        public ServerConfig build() {
            return new ServerConfig(bindAddress, port, pgPort, dataDir, ioThreads, requestThreads, maxRequestBytes,
                    shutdownTimeout, sessionIdleTimeout, batchInterval, checkpointInterval, allowedLateness, stateMaxMemory, maxFetchWait,
                    statementTimeout, parallelism, tlsCert, tlsKey, adminPasswordFile, insecure, fileRoots, maxHeaderBytes,
                    maxStatementLength, maxConnectionsPerUser, maxPushQueriesPerUser, maxPersistentQueriesPerUser, allowedHosts,
                    adminPassword);
        }

        @SuppressWarnings("unchecked")
        private static List<String> castStringList(Object value) {
            return (List<String>) value;
        }

        @SuppressWarnings("unchecked")
        private static List<Path> castPathList(Object value) {
            return (List<Path>) value;
        }

        @SuppressWarnings("unchecked")
        private static Optional<Path> castOptionalPath(Object value) {
            return (Optional<Path>) value;
        }
    }
}
