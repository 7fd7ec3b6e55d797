package io.weir.server.pg;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.weir.server.http.SerialExecutor;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.sql.auth.SessionUser;
import io.weir.sql.auth.User;
import io.weir.sql.session.SessionProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * One PostgreSQL client connection: the startup (TLS, authentication, the session's settings), then the
 * client's messages, handled one after the other on the server's request threads by a {@link PgSession}.
 * A connection that breaks the protocol gets a FATAL error and is closed; the server is not affected.
 */
final class PgConnection extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(PgConnection.class);
    private static final int SSL_REQUEST = 80877103;
    private static final int GSSENC_REQUEST = 80877104;
    private static final int CANCEL_REQUEST = 80877102;
    private static final int PROTOCOL_3 = 3;

    private enum Phase { STARTUP, AUTHENTICATING, READY, CLOSED }

    private final PgServer server;
    private final PgFrameDecoder decoder;
    private final int processId;
    private final int secretKey;
    private SerialExecutor serial;
    private Channel channel;
    private PgOutput out;
    // confined to the serial executor's tasks
    private Phase phase = Phase.STARTUP;
    private String userName;
    private Map<String, String> startupParameters = Map.of();
    private ScramExchange scram;
    private int saslStep;
    private volatile PgSession session;
    private volatile SessionUser user;
    private CompletableFuture<Void> writable = CompletableFuture.completedFuture(null);

    PgConnection(PgServer server, PgFrameDecoder decoder, int processId, int secretKey) {
        this.server = requireNonNull(server, "server is null");
        this.decoder = requireNonNull(decoder, "decoder is null");
        this.processId = processId;
        this.secretKey = secretKey;
    }

    int processId() {
        return processId;
    }

    int secretKey() {
        return secretKey;
    }

    /** The user the connection authenticated as; null before it did. */
    SessionUser user() {
        return user;
    }

    boolean belongsTo(String registeredUser) {
        SessionUser current = user;
        return current != null && !current.anonymous() && current.name().equalsIgnoreCase(registeredUser);
    }

    /** A CancelRequest with this connection's key: stops what it runs. */
    void cancel() {
        PgSession current = session;
        if (current != null) {
            current.cancel();
        }
    }

    /** Closes the connection from the server's side with a FATAL error saying why. */
    void terminate(String why) {
        Channel open = channel;
        if (open == null) {
            return;
        }
        cancel();
        serialOrInline(() -> {
            PgErrors.write(out, "FATAL", "57P01", "terminating connection: " + why, 0);
            flush().addListener(ignored -> open.close());
            return CompletableFuture.completedFuture(null);
        });
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        out = new PgOutput(channel.alloc());
        serial = new SerialExecutor(server.requests());
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        PgFrameDecoder.Frame frame = (PgFrameDecoder.Frame) msg;
        if (frame.type() == 0) {
            try {
                startupPacket(ctx, frame.body());
            } finally {
                frame.body().release();
            }
            return;
        }
        serialOrInline(() -> {
            try {
                return handle(frame);
            } finally {
                frame.body().release();
            }
        });
    }

    /** Runs {@code task} after the connection's earlier messages; once the server is stopping, drops it. */
    private void serialOrInline(SerialExecutor.AsyncTask task) {
        try {
            serial.executeAsync(() -> {
                try {
                    return task.start();
                } catch (RuntimeException | Error e) {
                    fatal(e);
                    return CompletableFuture.completedFuture(null);
                }
            });
        } catch (RejectedExecutionException e) {
            channel.close();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable()) {
            CompletableFuture<Void> waiting;
            synchronized (this) {
                waiting = writable;
            }
            waiting.complete(null);
        }
        super.channelWritabilityChanged(ctx);
    }

    /** Completes once the client has read enough of what was sent (at once if it has). */
    synchronized CompletableFuture<Void> whenWritable() {
        if (channel.isWritable() || !channel.isActive()) {
            return CompletableFuture.completedFuture(null);
        }
        if (writable.isDone()) {
            writable = new CompletableFuture<>();
        }
        CompletableFuture<Void> waiting = writable;
        // the channel may have become writable between the check and the new future
        if (channel.isWritable() || !channel.isActive()) {
            waiting.complete(null);
        }
        return waiting;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        phase = Phase.CLOSED;
        server.unregister(this);
        PgSession current = session;
        if (current != null) {
            executor().execute(current::cancel); // stopping a query may wait for its sources: not on a network thread
            // after what runs now has stopped: close the session's results
            serialOrInline(() -> {
                current.close();
                return CompletableFuture.completedFuture(null);
            });
        }
        writable.complete(null);
        serialOrInline(() -> {
            out.release();
            return CompletableFuture.completedFuture(null);
        });
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable failure = cause instanceof io.netty.handler.codec.DecoderException && cause.getCause() != null
                ? cause.getCause() : cause;
        if (failure instanceof WeirException weir) {
            LOG.info("Closing PostgreSQL connection from {}: {}", ctx.channel().remoteAddress(), weir.getMessage());
            ByteBuf error = ctx.alloc().buffer();
            PgOutput fatal = new PgOutput(ctx.alloc());
            PgErrors.write(fatal, "FATAL", weir.errorCode().sqlState(), weir.rawMessage(), 0);
            error.writeBytes(fatal.take());
            fatal.release();
            ctx.writeAndFlush(error).addListener(ignored -> ctx.close());
            return;
        }
        if (failure instanceof java.io.IOException || failure instanceof javax.net.ssl.SSLException) {
            LOG.debug("PostgreSQL connection from {} failed: {}", ctx.channel().remoteAddress(), failure.toString());
        } else {
            LOG.warn("PostgreSQL connection from {} failed", ctx.channel().remoteAddress(), failure);
        }
        ctx.close();
    }

    /** Answers an unexpected failure with a FATAL error and closes the connection. */
    private void fatal(Throwable failure) {
        WeirException error = PgErrors.weir(failure);
        PgErrors.write(out, "FATAL", PgErrors.sqlState(error), error.rawMessage(), 0);
        flush().addListener(ignored -> channel.close());
    }

    // ---- startup ----

    /** A packet of the startup phase; on the network thread (TLS must start before the next byte is read). */
    private void startupPacket(ChannelHandlerContext ctx, ByteBuf body) {
        int code = body.readInt();
        if (code == SSL_REQUEST) {
            Optional<io.weir.server.tls.ServerTls> tls = server.tls();
            if (tls.isPresent() && ctx.pipeline().get(SslHandler.class) == null) {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {'S'}));
                ctx.pipeline().addFirst("tls", tls.get().context().newHandler(ctx.alloc()));
            } else {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {'N'}));
            }
            return;
        }
        if (code == GSSENC_REQUEST) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {'N'}));
            return;
        }
        if (code == CANCEL_REQUEST) {
            if (body.readableBytes() >= 8) {
                int cancelledProcess = body.readInt();
                int key = body.readInt();
                // stopping a query may wait for its sources: not on a network thread
                executor().execute(() -> server.cancel(cancelledProcess, key));
            }
            ctx.close();
            return;
        }
        if (code >> 16 != PROTOCOL_3) {
            throw new WeirException(ErrorCode.PROTOCOL_VIOLATION, "unsupported frontend protocol " + (code >> 16) + "." + (code & 0xFFFF)
                    + ": Weir supports protocol 3.0");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        while (body.isReadable()) {
            String name = cString(body);
            if (name.isEmpty()) {
                break;
            }
            parameters.put(name, cString(body));
        }
        boolean tlsUsed = ctx.pipeline().get(SslHandler.class) != null;
        int minor = code & 0xFFFF;
        serialOrInline(() -> {
            startup(minor, parameters, tlsUsed);
            return CompletableFuture.completedFuture(null);
        });
    }

    private void startup(int minor, Map<String, String> parameters, boolean tlsUsed) {
        if (server.tls().isPresent() && !tlsUsed) {
            refuse("28000", "the server accepts PostgreSQL clients over TLS only: connect with sslmode=require (or prefer)");
            return;
        }
        java.util.List<String> unknownOptions = parameters.keySet().stream().filter(name -> name.startsWith("_pq_.")).toList();
        if (minor > 0 || !unknownOptions.isEmpty()) {
            out.begin('v').int32(PROTOCOL_3 << 16).int32(unknownOptions.size());
            unknownOptions.forEach(out::string);
            out.end();
        }
        userName = parameters.get("user");
        if (userName == null || userName.isEmpty()) {
            refuse("28000", "no PostgreSQL user name specified in startup packet");
            return;
        }
        startupParameters = parameters;
        if (server.authenticator().required()) {
            Optional<User> registered = server.authenticator().users().user(userName);
            scram = new ScramExchange(registered.map(User::verifier));
            phase = Phase.AUTHENTICATING;
            out.authentication(10, ScramExchange.mechanisms());
            flush();
            return;
        }
        ready(SessionUser.ANONYMOUS);
    }

    private void refuse(String sqlState, String message) {
        PgErrors.write(out, "FATAL", sqlState, message, 0);
        flush().addListener(ignored -> channel.close());
        phase = Phase.CLOSED;
    }

    /** A SASLInitialResponse or SASLResponse of the SCRAM exchange. */
    private void authenticate(ByteBuf body) {
        try {
            if (saslStep == 0) {
                String mechanism = cString(body);
                if (!mechanism.equals("SCRAM-SHA-256")) {
                    refuse("28000", "SASL mechanism " + mechanism + " is not supported; Weir offers SCRAM-SHA-256");
                    return;
                }
                int length = body.readInt();
                String clientFirst = length < 0 ? "" : body.readCharSequence(length, StandardCharsets.UTF_8).toString();
                out.authentication(11, scram.first(clientFirst).getBytes(StandardCharsets.UTF_8));
                saslStep = 1;
                flush();
                return;
            }
            String clientFinal = body.readCharSequence(body.readableBytes(), StandardCharsets.UTF_8).toString();
            Optional<String> serverFinal = scram.last(clientFinal);
            if (serverFinal.isEmpty()) {
                Optional<User> known = server.authenticator().users().user(userName);
                Duration delay = server.authenticator().passwordFailed((InetSocketAddress) channel.remoteAddress(), userName,
                        known.isPresent());
                phase = Phase.CLOSED;
                channel.eventLoop().schedule(() -> refuse("28P01", "password authentication failed for user \""
                        + userName + "\""), delay.toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
            out.authentication(12, serverFinal.get().getBytes(StandardCharsets.UTF_8));
            User registered = server.authenticator().users().user(userName).orElseThrow(() -> new WeirException(
                    ErrorCode.AUTHENTICATION_FAILED, "user \"" + userName + "\" was dropped while connecting"));
            ready(SessionUser.of(registered.name()));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            refuse("08P01", "malformed SASL message: " + e.getMessage());
        }
    }

    /** Authentication is over: the session starts and the client is told its settings. */
    private void ready(SessionUser authenticated) {
        try {
            server.runner().context().checkConnectionLimit(authenticated);
        } catch (WeirException e) {
            refuse(e.errorCode().sqlState(), e.rawMessage());
            return;
        }
        user = authenticated;
        SessionProperties properties = server.runner().context().newSessionProperties();
        PgSession opened = new PgSession(this, server.runner(), authenticated, userName, properties);
        out.authentication(0, null);
        for (Map.Entry<String, String> parameter : startupParameters.entrySet()) {
            opened.startupParameter(parameter.getKey(), parameter.getValue());
        }
        opened.settings().reported().forEach(out::parameterStatus);
        out.begin('K').int32(processId).int32(secretKey).end();
        out.readyForQuery('I');
        session = opened;
        phase = Phase.READY;
        server.register(this);
        flush();
        LOG.debug("PostgreSQL connection {} from {} for {}", processId, channel.remoteAddress(), authenticated);
    }

    // ---- messages ----

    private CompletionStage<?> handle(PgFrameDecoder.Frame frame) {
        char type = frame.type();
        if (phase == Phase.CLOSED) {
            return CompletableFuture.completedFuture(null);
        }
        if (type == 'X') {
            phase = Phase.CLOSED;
            channel.close();
            return CompletableFuture.completedFuture(null);
        }
        if (phase == Phase.AUTHENTICATING) {
            if (type != 'p') {
                refuse("08P01", "expected a SASL response, got message type '" + PgFrameDecoder.printable(type) + "'");
            } else {
                authenticate(frame.body());
            }
            return CompletableFuture.completedFuture(null);
        }
        if (phase != Phase.READY) {
            refuse("08P01", "unexpected message type '" + PgFrameDecoder.printable(type) + "' during startup");
            return CompletableFuture.completedFuture(null);
        }
        try {
            return session.handle(type, frame.body());
        } catch (IndexOutOfBoundsException e) {
            refuse("08P01", "invalid message format of message type '" + PgFrameDecoder.printable(type) + "'");
            return CompletableFuture.completedFuture(null);
        }
    }

    // ---- output ----

    PgOutput out() {
        return out;
    }

    /** The endpoint's request threads, for work that continues after a wait. */
    java.util.concurrent.Executor executor() {
        return task -> {
            try {
                server.requests().execute(task);
            } catch (RejectedExecutionException e) {
                task.run(); // the server is stopping: finish here
            }
        };
    }

    /** Sends what was written. */
    io.netty.channel.ChannelFuture flush() {
        return channel.writeAndFlush(out.take());
    }

    /** Sends what was written once it is {@code bytes} or more, to send rows in larger packets. */
    void sendIfLarge(int bytes) {
        if (out.size() >= bytes) {
            channel.writeAndFlush(out.take());
        }
    }

    boolean active() {
        return channel.isActive() && phase != Phase.CLOSED;
    }

    void close() {
        phase = Phase.CLOSED;
        channel.close();
    }

    static String cString(ByteBuf body) {
        int end = body.indexOf(body.readerIndex(), body.writerIndex(), (byte) 0);
        if (end < 0) {
            throw new IndexOutOfBoundsException("string without its terminating zero byte");
        }
        String text = body.toString(body.readerIndex(), end - body.readerIndex(), StandardCharsets.UTF_8);
        body.readerIndex(end + 1);
        return text;
    }
}
