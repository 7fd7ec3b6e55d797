package io.weir.server.launcher;

import io.weir.server.console.ConsoleRoutes;
import io.weir.server.http.RequestObserver;
import io.weir.server.http.AuthenticatedEndpoint;
import io.weir.server.metrics.MetricsEndpoint;
import io.weir.server.auth.Authenticator;
import io.weir.server.auth.AvaticaAuthentication;
import io.weir.server.auth.ListenPolicy;
import io.weir.server.config.ServerConfig;
import io.weir.server.http.AvaticaEndpoints;
import io.weir.server.http.HealthEndpoint;
import io.weir.server.http.HttpRouter;
import io.weir.server.http.WeirHttpServer;
import io.weir.server.ingest.IngestRoutes;
import io.weir.server.meta.DeferredFetches;
import io.weir.server.meta.StatementWarnings;
import io.weir.server.meta.WeirMeta;
import io.weir.server.pg.PgServer;
import io.weir.server.tls.ServerTls;
import io.netty.handler.codec.http.HttpMethod;
import org.apache.calcite.avatica.Meta;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * A running Weir server: a {@link Meta} served over HTTP with the Avatica protocol (protobuf at
 * {@code POST /} and {@code /protobuf}, JSON at {@code POST /json}) plus {@code GET /health} and, for a
 * {@link WeirMeta}, {@code POST /ingest/<stream>} (records for streams with {@code 'connector' = 'http'}), {@code GET /metrics}
 * and the web console ({@code GET /}, see {@link ConsoleRoutes}).
 * With a {@link WeirMeta} whose catalog has users, Avatica requests and ingest authenticate; {@code /health}
 * stays open. Without users it listens only on loopback, unless {@link ServerConfig#insecure()}.
 * Tests start one in-process:
 *
 * <pre>{@code
 * try (WeirServer server = WeirServer.start(ServerConfig.builder().port(0).build(), meta)) {
 *     Connection connection = DriverManager.getConnection(server.jdbcUrl());
 * }
 * }</pre>
 *
 * <p>Once started, the server owns the Meta: {@link #close()} stops the HTTP server first (letting
 * requests in progress finish, up to {@link ServerConfig#shutdownTimeout()}) and then closes the
 * Meta if it is {@link AutoCloseable}. If starting fails, the Meta is left to the caller.
 */
public final class WeirServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WeirServer.class);

    private final ServerConfig config;
    private final Meta meta;
    private final WeirHttpServer http;
    private final InetSocketAddress address;
    /** The PostgreSQL endpoint; null when it is off or the Meta is not Weir's. */
    private final PgServer pg;
    private boolean closed;

    private WeirServer(ServerConfig config, Meta meta, WeirHttpServer http, InetSocketAddress address, PgServer pg) {
        this.config = config;
        this.meta = meta;
        this.http = http;
        this.address = address;
        this.pg = pg;
    }

    /** Starts serving {@code meta} with the default routes. */
    public static WeirServer start(ServerConfig config, Meta meta) throws IOException {
        return builder(config, meta).start();
    }

    /** A builder, for adding routes (e.g. {@code POST /ingest/}) beside the default ones. */
    public static Builder builder(ServerConfig config, Meta meta) {
        return new Builder(config, meta);
    }

    public ServerConfig config() {
        return config;
    }

    /** The address the server listens on. */
    public InetSocketAddress address() {
        return address;
    }

    /** The port the server listens on (the one picked when {@link ServerConfig#port()} is 0). */
    public int port() {
        return address.getPort();
    }

    /** The address of the PostgreSQL endpoint, when it is on ({@link ServerConfig#pgPort()}). */
    public Optional<InetSocketAddress> pgAddress() {
        return Optional.ofNullable(pg).map(PgServer::address);
    }

    /** The PostgreSQL endpoint's port, when it is on (the one picked for {@link ServerConfig#FREE_PORT}). */
    public Optional<Integer> pgPort() {
        return pgAddress().map(InetSocketAddress::getPort);
    }

    /** The server's base URL for clients on this machine, e.g. {@code http://127.0.0.1:8765} ({@code https} with TLS). */
    public String httpUrl() {
        return (config.tls() ? "https://" : "http://") + clientHost() + ":" + port();
    }

    /**
     * The JDBC URL for clients on this machine, e.g. {@code jdbc:weir://127.0.0.1:8765}; with TLS
     * {@code ?ssl=true} follows (the client must trust the certificate, which must name the host).
     */
    public String jdbcUrl() {
        return "jdbc:weir://" + clientHost() + ":" + port() + (config.tls() ? "?ssl=true" : "");
    }

    /** The TLS certificate and key served, if the server serves HTTPS. */
    public Optional<ServerTls> tls() {
        return http.tls();
    }

    /** Stops the HTTP server, then closes the Meta. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.debug("Stopping the server on {}", address);
        try {
            if (pg != null) {
                pg.close();
            }
            http.close();
        } finally {
            if (meta instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.error("Closing the Meta failed", e);
                    throw new IllegalStateException("Closing the Meta failed: " + e.getMessage(), e);
                }
            }
        }
        LOG.debug("Server on {} stopped", address);
    }

    /** The host clients connect to: the bound address, or loopback when bound to every interface. */
    private String clientHost() {
        InetAddress bound = address.getAddress();
        if (bound.isAnyLocalAddress()) {
            return "127.0.0.1";
        }
        String host = bound.getHostAddress();
        return bound instanceof Inet6Address ? "[" + host.replaceFirst("%.*$", "") + "]" : host;
    }

    /** Configures and starts a {@link WeirServer}. */
    public static final class Builder {
        private final ServerConfig config;
        private final Meta meta;
        private final List<Consumer<HttpRouter.Builder>> routes = new ArrayList<>();

        private Builder(ServerConfig config, Meta meta) {
            this.config = requireNonNull(config, "config is null");
            this.meta = requireNonNull(meta, "meta is null");
        }

        /** Adds routes beside the Avatica and health routes, e.g. {@code r -> r.prefix(POST, "/ingest/", endpoint)}. */
        public Builder routes(Consumer<HttpRouter.Builder> addRoutes) {
            routes.add(requireNonNull(addRoutes, "addRoutes is null"));
            return this;
        }

        /**
         * Binds and starts serving.
         *
         * @throws java.net.BindException when the address cannot be bound, e.g. the port is in use
         * @throws io.weir.spi.WeirException when asked to listen beyond loopback without users (see {@link ListenPolicy})
         */
        public WeirServer start() throws IOException {
            HttpRouter.Builder router = HttpRouter.builder();
            Authenticator authenticator = null;
            if (meta instanceof WeirMeta weirMeta) {
                authenticator = new Authenticator(weirMeta.context().catalog().users());
                ListenPolicy.check(config, authenticator.required());
                // fetches of continuous queries are answered when their rows come, without a waiting thread
                AvaticaEndpoints.addTo(router, new StatementWarnings.Carrying(meta), new AvaticaAuthentication(authenticator, weirMeta),
                        new DeferredFetches(weirMeta)::fetch);
                IngestRoutes.addTo(router, weirMeta.context(), authenticator, weirMeta.metrics());
                router.exact(HttpMethod.GET, "/metrics", new AuthenticatedEndpoint(
                        new MetricsEndpoint(weirMeta.metrics(), weirMeta.context().executor().authorizer()), authenticator));
                ConsoleRoutes.addTo(router, weirMeta.runner(), authenticator, weirMeta.metrics()::statementFailed);
            } else {
                ListenPolicy.check(config, false);
                AvaticaEndpoints.addTo(router, new StatementWarnings.Carrying(meta), AvaticaAuthentication.none());
            }
            router.exact(HttpMethod.GET, "/health", new HealthEndpoint());
            routes.forEach(addRoutes -> addRoutes.accept(router));
            WeirHttpServer http = new WeirHttpServer(config, router.build(),
                    meta instanceof WeirMeta weirMeta ? weirMeta.metrics() : RequestObserver.NONE);
            InetSocketAddress address = http.start();
            PgServer pg = null;
            if (meta instanceof WeirMeta weirMeta && config.pgEnabled()) {
                pg = new PgServer(config, weirMeta.runner(), authenticator, http.tls());
                try {
                    pg.start(config.pgPort() == ServerConfig.FREE_PORT ? 0 : config.pgPort());
                } catch (IOException | RuntimeException e) {
                    pg.close();
                    http.close();
                    throw e;
                }
            }
            return new WeirServer(config, meta, http, address, pg);
        }
    }
}
