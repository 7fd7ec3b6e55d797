package io.weir.server.pg;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.weir.server.auth.Authenticator;
import io.weir.server.config.ServerConfig;
import io.weir.server.meta.StatementRunner;
import io.weir.server.tls.ServerTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * The PostgreSQL wire protocol (3.0) endpoint of a Weir server: psql, pgjdbc, psycopg and other PostgreSQL
 * clients connect to it on {@code server.pg-port}, beside the Avatica endpoint, and run statements through
 * the same {@link StatementRunner} (the same catalog, users, privileges and queries). With TLS configured it
 * answers SSLRequest with the server's certificate and refuses clients that do not use TLS; with users it
 * authenticates with SCRAM-SHA-256.
 *
 * <p>Network threads decode messages; each connection's messages are handled in order on a pool of
 * request threads (a statement may block), and a continuous query's rows are sent as they come without
 * holding a thread while it waits.
 */
public final class PgServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PgServer.class);
    private static final long STOP_TIMEOUT_MILLIS = 5_000;

    private final ServerConfig config;
    private final StatementRunner runner;
    private final Authenticator authenticator;
    private final ServerTls tls;
    private final SecureRandom random = new SecureRandom();
    private final AtomicInteger nextProcessId = new AtomicInteger(1000);
    private final Map<Integer, PgConnection> connections = new ConcurrentHashMap<>();

    private EventLoopGroup acceptGroup;
    private EventLoopGroup ioGroup;
    private ExecutorService requests;
    private ChannelGroup channels;
    private Channel serverChannel;
    private InetSocketAddress address;

    /** @param tls the certificate to serve to clients that ask for TLS, when the server has one */
    public PgServer(ServerConfig config, StatementRunner runner, Authenticator authenticator, Optional<ServerTls> tls) {
        this.config = requireNonNull(config, "config is null");
        this.runner = requireNonNull(runner, "runner is null");
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
        this.tls = tls.orElse(null);
        authenticator.users().addDropListener(this::closeConnectionsOf);
        runner.context().countConnectionsWith(user -> connections.values().stream().filter(c -> user.equals(c.user())).count());
    }

    /**
     * Binds to the server's bind address and {@code port} (0 picks a free one).
     *
     * @throws BindException when the address cannot be bound, naming it
     */
    public synchronized InetSocketAddress start(int port) throws IOException {
        if (serverChannel != null) {
            throw new IllegalStateException("The PostgreSQL endpoint can be started once only");
        }
        InetAddress bindAddress;
        try {
            bindAddress = InetAddress.getByName(config.bindAddress());
        } catch (UnknownHostException e) {
            throw bindFailure(port, "unknown host", e);
        }
        acceptGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("weir-pg-accept"), NioIoHandler.newFactory());
        ioGroup = new MultiThreadIoEventLoopGroup(config.ioThreads(), new DefaultThreadFactory("weir-pg-io"), NioIoHandler.newFactory());
        requests = new ThreadPoolExecutor(config.requestThreads(), config.requestThreads(), 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), new DefaultThreadFactory("weir-pg-request", true));
        channels = new DefaultChannelGroup("weir-pg-connections", GlobalEventExecutor.INSTANCE);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptGroup, ioGroup)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channels.add(channel);
                        PgFrameDecoder decoder = new PgFrameDecoder(config.maxRequestBytes());
                        channel.pipeline().addLast("pg-frames", decoder).addLast("pg-connection", new PgConnection(PgServer.this,
                                decoder, nextProcessId.incrementAndGet(), random.nextInt()));
                    }
                });
        ChannelFuture bound = bootstrap.bind(bindAddress, port).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            stopThreads();
            throw bindFailure(port, bound.cause().getMessage(), bound.cause());
        }
        serverChannel = bound.channel();
        address = (InetSocketAddress) serverChannel.localAddress();
        LOG.info("PostgreSQL endpoint listening on {}", address);
        return address;
    }

    public synchronized InetSocketAddress address() {
        if (address == null) {
            throw new IllegalStateException("The PostgreSQL endpoint is not started");
        }
        return address;
    }

    StatementRunner runner() {
        return runner;
    }

    Authenticator authenticator() {
        return authenticator;
    }

    /** The TLS certificate served, when the server has one; clients must then use TLS. */
    Optional<ServerTls> tls() {
        return Optional.ofNullable(tls);
    }

    ExecutorService requests() {
        return requests;
    }

    /** Open connections that completed their startup, for monitoring and tests. */
    public int openConnections() {
        return connections.size();
    }

    void register(PgConnection connection) {
        connections.put(connection.processId(), connection);
    }

    void unregister(PgConnection connection) {
        connections.remove(connection.processId(), connection);
    }

    /** A CancelRequest: cancels what the connection with this key runs; an unknown key is ignored, as PostgreSQL does. */
    void cancel(int processId, int secretKey) {
        PgConnection connection = connections.get(processId);
        if (connection != null && connection.secretKey() == secretKey) {
            connection.cancel();
        } else {
            LOG.debug("Ignored a CancelRequest for unknown backend {}", processId);
        }
    }

    private void closeConnectionsOf(String userName) {
        for (PgConnection connection : List.copyOf(connections.values())) {
            if (connection.belongsTo(userName)) {
                LOG.info("Closing PostgreSQL connection {} of user '{}', who was dropped", connection.processId(), userName);
                connection.terminate("its user was dropped");
            }
        }
    }

    @Override
    public synchronized void close() {
        if (serverChannel == null) {
            return;
        }
        serverChannel.close().awaitUninterruptibly();
        for (PgConnection connection : List.copyOf(connections.values())) {
            connection.terminate("the server is shutting down");
        }
        channels.close().awaitUninterruptibly();
        stopThreads();
        serverChannel = null;
    }

    private void stopThreads() {
        if (requests != null) {
            requests.shutdownNow();
        }
        var io = ioGroup.shutdownGracefully(0, STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        var accept = acceptGroup.shutdownGracefully(0, STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        io.awaitUninterruptibly(STOP_TIMEOUT_MILLIS);
        accept.awaitUninterruptibly(STOP_TIMEOUT_MILLIS);
    }

    private BindException bindFailure(int port, String reason, Throwable cause) {
        BindException failure = new BindException("Cannot listen for PostgreSQL clients on " + config.bindAddress() + ":" + port
                + ": " + reason + " (server.pg-port; 0 turns the endpoint off)");
        failure.initCause(cause);
        return failure;
    }
}
