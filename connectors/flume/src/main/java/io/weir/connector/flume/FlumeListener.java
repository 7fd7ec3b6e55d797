package io.weir.connector.flume;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ipfilter.IpFilterRule;
import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.handler.ipfilter.RuleBasedIpFilter;
import io.netty.handler.codec.compression.ZlibCodecFactory;
import io.netty.handler.codec.compression.ZlibWrapper;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.wal.WriteAheadLog;
import io.weir.spi.wal.feed.LogFeed;
import org.apache.avro.ipc.netty.NettyServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * A Flume stream's listener: Avro IPC's Netty server answering {@link FlumeResponder} on the stream's
 * host and port, with TLS and the IP filter in front when configured. One per stream in the server
 * (a {@link LogFeed} of {@link io.weir.spi.wal.feed.LogFeeds}), whoever reads it. Thread-safe.
 */
final class FlumeListener implements LogFeed {
    private static final Logger LOG = LoggerFactory.getLogger(FlumeListener.class);
    /** Threads that run the responder: each appends (and waits for the disk) for the connections it serves. */
    private static final int CALLER_THREADS = 8;
    private static final int IO_THREADS = 2;

    private final ConnectorContext context;
    private final FlumeSettings settings;
    private final FlumeResponder responder;
    private final String threadPrefix;
    /** The most one network read of a deflate connection may inflate to. */
    private static final int MAX_INFLATED_READ = 64 << 20;

    private NettyServer server;
    /** The listening channel, closed by {@link #close} while its event loop still runs. */
    private volatile io.netty.channel.Channel listening;
    private List<EventLoopGroup> groups = List.of();
    private boolean closed;

    FlumeListener(ConnectorContext context, FlumeSettings settings, WriteAheadLog log) {
        this.context = requireNonNull(context, "context is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.responder = new FlumeResponder(context.describe(), log, settings.maxEventBytes(),
                context.errorHandler().counters());
        this.threadPrefix = "weir-flume-" + context.objectName();
    }

    @Override
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("listener is closed");
        }
        if (server != null) {
            return;
        }
        Consumer<SocketChannel> channels = channelSetup();
        EventLoopGroup boss = new NioEventLoopGroup(1, new DefaultThreadFactory(threadPrefix + "-accept", true));
        EventLoopGroup workers = new NioEventLoopGroup(IO_THREADS, new DefaultThreadFactory(threadPrefix + "-io", true));
        EventLoopGroup callers = new DefaultEventLoopGroup(CALLER_THREADS, new DefaultThreadFactory(threadPrefix + "-log", true));
        List<EventLoopGroup> starting = List.of(boss, workers, callers);
        InetSocketAddress address = new InetSocketAddress(settings.host(), settings.port());
        try {
            server = new NettyServer(responder, address, channels, bootstrap -> bootstrap.handler(new io.netty.channel.ChannelHandlerAdapter() {
                @Override
                public void handlerAdded(io.netty.channel.ChannelHandlerContext ctx) {
                    listening = ctx.channel();
                }
            }), boss, workers, callers);
            server.start();
            groups = starting;
        } catch (Exception e) {
            shutDown(starting);
            throw new WeirException(ErrorCode.SOURCE_ERROR, context.describe() + ": cannot listen for Flume agents on "
                    + settings.host() + ":" + settings.port() + ": " + describe(e)
                    + ". Free the port or choose another 'port'/'host'", e);
        }
        LOG.info("{}: listening for Flume agents' Avro sinks on {}:{}{}", context.describe(), settings.host(),
                server.getPort(), settings.tls().isPresent() ? " (TLS)" : "");
    }

    /** The bound port (tests). */
    synchronized int port() {
        return server == null ? -1 : server.getPort();
    }

    private Consumer<SocketChannel> channelSetup() {
        SslContext ssl = settings.tls().map(this::sslContext).orElse(null);
        List<IpFilterRule> rules = new ArrayList<>(settings.deny());
        rules.addAll(settings.allow());
        if (!settings.allow().isEmpty()) {
            // Allowed ranges given: whoever matches none of them is refused.
            rules.add(new IpSubnetFilterRule("0.0.0.0", 0, IpFilterRuleType.REJECT));
            rules.add(new IpSubnetFilterRule("::", 0, IpFilterRuleType.REJECT));
        }
        IpFilterRule[] filter = rules.toArray(IpFilterRule[]::new);
        return channel -> {
            if (filter.length > 0) {
                channel.pipeline().addLast("ipFilter", new RuleBasedIpFilter(filter));
            }
            if (ssl != null) {
                channel.pipeline().addLast("tls", ssl.newHandler(channel.alloc()));
            }
            // As Flume's Avro source: zlib inside TLS, around Avro's frames (what an Avro sink with deflate sends).
            // A read that inflates past MAX_INFLATED_READ closes the connection: no zip bomb fills the heap.
            settings.deflateLevel().ifPresent(level -> channel.pipeline()
                    .addLast("inflater", ZlibCodecFactory.newZlibDecoder(ZlibWrapper.ZLIB, MAX_INFLATED_READ))
                    .addLast("deflater", ZlibCodecFactory.newZlibEncoder(ZlibWrapper.ZLIB, level)));
        };
    }

    private SslContext sslContext(FlumeSettings.Tls tls) {
        try {
            if (tls instanceof FlumeSettings.Tls.KeyStoreFile store) {
                java.security.KeyStore keyStore = java.security.KeyStore.getInstance(store.type());
                char[] password = store.password().toCharArray();
                try (java.io.InputStream in = java.nio.file.Files.newInputStream(store.path())) {
                    keyStore.load(in, password);
                }
                javax.net.ssl.KeyManagerFactory keys = javax.net.ssl.KeyManagerFactory.getInstance(
                        javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
                keys.init(keyStore, password);
                return SslContextBuilder.forServer(keys).build();
            }
            FlumeSettings.Tls.PemFiles pem = (FlumeSettings.Tls.PemFiles) tls;
            return SslContextBuilder.forServer(pem.certificate().toFile(), pem.key().toFile()).build();
        } catch (Exception e) {
            String given = tls instanceof FlumeSettings.Tls.KeyStoreFile store
                    ? "'ssl.keystore' " + store.path() + " (" + store.type() + "): " + describe(e)
                            + ". Check 'ssl.keystore-password' and 'ssl.keystore-type'"
                    : "'ssl.certificate' " + ((FlumeSettings.Tls.PemFiles) tls).certificate() + " with 'ssl.key' "
                            + ((FlumeSettings.Tls.PemFiles) tls).key() + ": " + describe(e)
                            + ". Give a PEM certificate and its PEM (PKCS#8) private key";
            throw new WeirException(ErrorCode.SOURCE_ERROR, context.describe() + ": cannot use " + given, e);
        }
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    @Override
    public Optional<Throwable> failure() {
        return Optional.empty();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (server != null) {
            // The listening channel first, while its loop runs: NettyServer.close() waits for it to close, which a
            // loop already shut down may never report (a close that hung, seen in the connector conformance test).
            // Then our groups, without Netty's default quiet period (NettyServer.close() alone waits 2 s per group);
            // its close then finds everything closed.
            io.netty.channel.Channel channel = listening;
            if (channel != null) {
                channel.close().syncUninterruptibly();
            }
            shutDown(groups);
            server.close();
            LOG.info("{}: stopped listening for Flume agents on {}:{}", context.describe(), settings.host(), settings.port());
            server = null;
        }
    }

    private static void shutDown(List<EventLoopGroup> groups) {
        for (EventLoopGroup group : groups) {
            group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
