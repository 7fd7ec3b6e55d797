package io.weir.server.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.weir.server.config.ServerConfig;
import io.weir.server.tls.HttpsOnlyHandler;
import io.weir.server.tls.ServerTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.util.Objects.requireNonNull;

/**
 * The HTTP/1.1 server (Netty): network threads decode requests, a separate pool of request threads
 * runs the {@link HttpRouter}'s endpoints, which may block. Keep-alive is honoured; request bodies
 * larger than {@link ServerConfig#maxRequestBytes()} get HTTP 413. With {@link ServerConfig#tls()} the port
 * serves HTTPS only (see {@link ServerTls}: the certificate is read again when its files change).
 *
 * <p>{@link #close()} stops accepting connections, lets requests in progress finish for up to
 * {@link ServerConfig#shutdownTimeout()} (their replies close their connections), then closes every
 * connection and stops the threads.
 */
public final class WeirHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WeirHttpServer.class);
    private static final Duration THREAD_STOP_TIMEOUT = Duration.ofSeconds(5);

    private final ServerConfig config;
    private final HttpRouter router;
    private final InFlightRequests inFlight = new InFlightRequests();
    private final AtomicBoolean draining = new AtomicBoolean();

    private EventLoopGroup acceptGroup;
    private EventLoopGroup ioGroup;
    private ExecutorService requestExecutor;
    private ChannelGroup connections;
    private Channel serverChannel;
    private InetSocketAddress address;
    private ServerTls tls;
    private final RequestObserver observer;
    private boolean closed;

    public WeirHttpServer(ServerConfig config, HttpRouter router) {
        this(config, router, RequestObserver.NONE);
    }

    /** @param observer told of every answered request (the server's metrics) */
    public WeirHttpServer(ServerConfig config, HttpRouter router, RequestObserver observer) {
        this.config = requireNonNull(config, "config is null");
        this.router = requireNonNull(router, "router is null");
        this.observer = requireNonNull(observer, "observer is null");
    }

    /**
     * Binds to {@link ServerConfig#bindAddress()} and {@link ServerConfig#port()} (0 picks a free port).
     *
     * @return the address bound
     * @throws BindException when the address cannot be bound (port in use, unknown host, ...), with a
     *                       message naming the address
     * @throws io.weir.spi.WeirException (INVALID_OPTION_VALUE) when the TLS certificate or key cannot be
     *                       used, naming the file
     */
    public synchronized InetSocketAddress start() throws IOException {
        if (closed || serverChannel != null) {
            throw new IllegalStateException("The HTTP server can be started once only");
        }
        if (config.tls()) {
            tls = ServerTls.load(config.tlsCert().orElseThrow(), config.tlsKey().orElseThrow());
        }
        ServerTls serverTls = tls;
        InetAddress bindAddress;
        try {
            bindAddress = InetAddress.getByName(config.bindAddress());
        } catch (UnknownHostException e) {
            throw bindFailure("unknown host", e);
        }
        BrowserGuard guard = BrowserGuard.of(config.allowedHosts(), bindAddress);
        acceptGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("weir-http-accept"),
                NioIoHandler.newFactory());
        ioGroup = new MultiThreadIoEventLoopGroup(config.ioThreads(), new DefaultThreadFactory("weir-http-io"),
                NioIoHandler.newFactory());
        requestExecutor = new ThreadPoolExecutor(config.requestThreads(), config.requestThreads(), 0,
                TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), new DefaultThreadFactory("weir-request", true));
        connections = new DefaultChannelGroup("weir-http-connections", GlobalEventExecutor.INSTANCE);

        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptGroup, ioGroup)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        connections.add(channel);
                        if (serverTls != null) {
                            channel.pipeline().addLast("https-only", new HttpsOnlyHandler(serverTls::context));
                        }
                        channel.pipeline()
                                .addLast("http-codec", new HttpServerCodec(new HttpDecoderConfig()
                                        .setMaxInitialLineLength(config.maxHeaderBytes())
                                        .setMaxHeaderSize(config.maxHeaderBytes())))
                                .addLast("http-aggregator", new HttpObjectAggregator(config.maxRequestBytes()))
                                .addLast("requests", new HttpRequestHandler(router, guard, requestExecutor, inFlight,
                                        draining::get, observer));
                    }
                });
        ChannelFuture bound = bootstrap.bind(bindAddress, config.port()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            stopThreads();
            throw bindFailure(bound.cause().getMessage(), bound.cause());
        }
        serverChannel = bound.channel();
        address = (InetSocketAddress) serverChannel.localAddress();
        LOG.debug("HTTP server bound to {}", address);
        return address;
    }

    /** The address bound by {@link #start()}. */
    public synchronized InetSocketAddress address() {
        if (address == null) {
            throw new IllegalStateException("The HTTP server is not started");
        }
        return address;
    }

    /** The TLS certificate and key served, if the server serves HTTPS. */
    public synchronized Optional<ServerTls> tls() {
        return Optional.ofNullable(tls);
    }

    /** Requests accepted and not yet answered. */
    public int requestsInFlight() {
        return inFlight.count();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (serverChannel == null) {
            return;
        }
        draining.set(true);
        serverChannel.close().awaitUninterruptibly();
        try {
            if (!inFlight.awaitIdle(config.shutdownTimeout())) {
                LOG.warn("{} requests still running after {} ms; abandoning them", inFlight.count(),
                        config.shutdownTimeout().toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("Interrupted while waiting for {} requests to finish; abandoning them", inFlight.count());
        }
        connections.close().awaitUninterruptibly();
        stopThreads();
        LOG.debug("HTTP server on {} stopped", address);
    }

    private void stopThreads() {
        requestExecutor.shutdownNow();
        Future<?> ioStopped = ioGroup.shutdownGracefully(0, THREAD_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Future<?> acceptStopped = acceptGroup.shutdownGracefully(0, THREAD_STOP_TIMEOUT.toMillis(),
                TimeUnit.MILLISECONDS);
        try {
            if (!requestExecutor.awaitTermination(THREAD_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Request threads still busy {} ms after being interrupted", THREAD_STOP_TIMEOUT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ioStopped.awaitUninterruptibly(THREAD_STOP_TIMEOUT.toMillis());
        acceptStopped.awaitUninterruptibly(THREAD_STOP_TIMEOUT.toMillis());
    }

    private BindException bindFailure(String reason, Throwable cause) {
        BindException failure = new BindException("Cannot listen on " + config.bindAddress() + ":" + config.port()
                + ": " + reason);
        failure.initCause(cause);
        return failure;
    }
}
