package io.weir.server.testing;

import io.weir.server.config.ServerConfig;
import io.weir.server.launcher.WeirServer;
import io.weir.server.meta.ServerContext;
import io.weir.server.meta.WeirMeta;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A real Weir server on a free loopback port over a data directory, for integration tests. */
public final class RunningServer implements AutoCloseable {
    private final WeirServer server;
    private final WeirMeta meta;

    private RunningServer(WeirServer server, WeirMeta meta) {
        this.server = server;
        this.meta = meta;
    }

    /** A server whose queries run as two tasks, so that every test through it covers parallel execution on any machine. */
    public static RunningServer start(Path dataDir) throws IOException {
        return start(dataDir, 2);
    }

    /** A server whose queries run as {@code parallelism} tasks unless their session says otherwise (0: one per core). */
    public static RunningServer start(Path dataDir, int parallelism) throws IOException {
        return start(dataDir, builder -> builder.parallelism(parallelism));
    }

    /** A server with settings of its own, such as a short idle time-out; queries run as two tasks unless set otherwise. */
    /**
     * Where tests' files are: JUnit's {@code @TempDir}s are made where the JDK put temporary files when it
     * started (surefire sets {@code java.io.tmpdir} to the build directory only after that), others under
     * the property's directory.
     */
    private static final List<Path> TEMPORARY_DIRECTORIES = temporaryDirectories();

    private static List<Path> temporaryDirectories() {
        try {
            Path probe = java.nio.file.Files.createTempFile("weir-root", ".probe");
            java.nio.file.Files.delete(probe);
            return List.of(probe.getParent(), Path.of(System.getProperty("java.io.tmpdir")));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static RunningServer start(Path dataDir, java.util.function.UnaryOperator<ServerConfig.Builder> settings) throws IOException {
        // tests keep their files in JUnit's temporary directories
        ServerConfig config = settings.apply(ServerConfig.builder().bindAddress("127.0.0.1").port(0).pgPort(0).dataDir(dataDir).parallelism(2)
                        .fileRoots(TEMPORARY_DIRECTORIES))
                .build();
        WeirMeta meta = new WeirMeta(config);
        try {
            return new RunningServer(WeirServer.start(config, meta), meta);
        } catch (IOException | RuntimeException e) {
            meta.close();
            throw e;
        }
    }

    /** The server's own services (its catalog, executor, connector services), for checks from inside. */
    public ServerContext context() {
        return meta.context();
    }

    /** Statements the server is planning or running right now. */
    public int executingStatements() {
        return meta.executingStatements();
    }

    /** The JDBC connections the server has open. */
    public int openConnections() {
        return meta.openConnections();
    }

    public int port() {
        return server.port();
    }

    /** The TLS certificate and key the server serves, when started with them. */
    public java.util.Optional<io.weir.server.tls.ServerTls> tls() {
        return server.tls();
    }

    /** The PostgreSQL endpoint's port, when the server was started with one. */
    public int pgPort() {
        return server.pgPort().orElseThrow(() -> new IllegalStateException("started without the PostgreSQL endpoint"));
    }

    /** pgjdbc's URL of the PostgreSQL endpoint. */
    public String pgUrl() {
        return "jdbc:postgresql://127.0.0.1:" + pgPort() + "/weir";
    }

    public String jdbcUrl() {
        return server.jdbcUrl();
    }

    public String avaticaUrl() {
        return "jdbc:avatica:remote:url=http://127.0.0.1:" + port() + ";serialization=PROTOBUF";
    }

    @Override
    public void close() {
        server.close();
    }
}
