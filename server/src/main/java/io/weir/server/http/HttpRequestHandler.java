package io.weir.server.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;

import static java.util.Objects.requireNonNull;

/**
 * Hands each request of one connection to its endpoint on a request thread (never the network
 * thread: endpoints may block) and writes the reply, in request order. An endpoint that answers
 * later ({@link HttpEndpoint#handleAsync}) frees the request thread; its reply is written by the
 * thread that completes it, and the connection's next request waits for it. One instance per connection.
 */
final class HttpRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(HttpRequestHandler.class);

    private final RequestObserver observer;
    private final HttpRouter router;
    private final BrowserGuard guard;
    private final SerialExecutor requests;
    private final InFlightRequests inFlight;
    private final BooleanSupplier draining;
    /** Set once a reply is held back: the connection closes after it, and requests behind it are not answered. */
    private volatile boolean closing;

    /**
     * @param requestExecutor the shared request threads
     * @param draining        true once the server is shutting down: replies then close their connection
     */
    HttpRequestHandler(HttpRouter router, BrowserGuard guard, Executor requestExecutor, InFlightRequests inFlight,
                       BooleanSupplier draining, RequestObserver observer) {
        this.observer = requireNonNull(observer, "observer is null");
        this.router = requireNonNull(router, "router is null");
        this.guard = requireNonNull(guard, "guard is null");
        this.requests = new SerialExecutor(requireNonNull(requestExecutor, "requestExecutor is null"));
        this.inFlight = requireNonNull(inFlight, "inFlight is null");
        this.draining = requireNonNull(draining, "draining is null");
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        HttpVersion version = request.protocolVersion();
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpEndpoint endpoint;
        HttpCall call;
        String route;
        InetSocketAddress remote = ctx.channel().remoteAddress() instanceof InetSocketAddress address ? address
                : InetSocketAddress.createUnresolved("unknown", 0);
        if (request.decoderResult().isSuccess()) {
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            call = new HttpCall(request.method(), uri.path(), uri.parameters(), request.headers().copy(),
                    ByteBufUtil.getBytes(request.content()), remote);
            HttpRouter.Match match = router.route(call.method(), call.path());
            route = match instanceof HttpRouter.Match.Found found ? found.route() : "unmatched";
            Optional<HttpReply> refused = guard.refusal(call);
            endpoint = refused.<HttpEndpoint>map(reply -> ignored -> reply).orElseGet(() -> endpointFor(match, call));
        } else {
            call = new HttpCall(request.method(), "", Map.of(), request.headers().copy(), new byte[0], remote);
            Throwable cause = request.decoderResult().cause();
            HttpReply reply;
            if (cause instanceof TooLongHttpHeaderException) {
                reply = HttpReply.text(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                        "The request's headers are larger than the server accepts (server.max-header-bytes)");
            } else if (cause instanceof TooLongHttpLineException) {
                reply = HttpReply.text(HttpResponseStatus.REQUEST_URI_TOO_LONG,
                        "The request line is longer than the server accepts (server.max-header-bytes)");
            } else {
                reply = HttpReply.text(HttpResponseStatus.BAD_REQUEST, "Malformed HTTP request: " + cause.getMessage());
            }
            endpoint = ignored -> reply;
            route = "malformed";
            keepAlive = false;
        }
        boolean keepConnection = keepAlive;
        inFlight.begin();
        try {
            // Through the connection's serial executor even when no endpoint matched, so replies keep request order.
            requests.executeAsync(() -> respond(ctx, endpoint, call, route, version, keepConnection));
        } catch (RejectedExecutionException e) {
            LOG.debug("Request {} {} refused: shutting down", call.method(), call.path());
            write(ctx, HttpReply.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "The server is shutting down"),
                    version, false);
        }
    }

    private static HttpEndpoint endpointFor(HttpRouter.Match match, HttpCall call) {
        if (match instanceof HttpRouter.Match.Found found) {
            return found.endpoint();
        }
        if (match instanceof HttpRouter.Match.MethodNotAllowed notAllowed) {
            String allowed = String.join(", ", notAllowed.allowedMethods());
            return ignored -> HttpReply.text(HttpResponseStatus.METHOD_NOT_ALLOWED,
                            call.method() + " is not allowed on " + call.path() + "; use " + allowed)
                    .withHeader(HttpHeaderNames.ALLOW.toString(), allowed);
        }
        return ignored -> HttpReply.text(HttpResponseStatus.NOT_FOUND, "No such resource: " + call.path());
    }

    /** Starts the endpoint on the call; the stage completes once the reply is handed to the network. */
    private CompletionStage<Void> respond(ChannelHandlerContext ctx, HttpEndpoint endpoint, HttpCall call, String route,
            HttpVersion version, boolean keepAlive) {
        if (closing) {
            // pipelined behind a held-back reply: its answer would overtake that one; the connection closes instead
            inFlight.end();
            return CompletableFuture.completedFuture(null);
        }
        long started = System.nanoTime();
        CompletionStage<HttpReply> answered;
        try {
            answered = endpoint.handleAsync(call);
        } catch (Throwable failure) {
            answered = CompletableFuture.failedFuture(failure);
        }
        return answered.handle((reply, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                LOG.error("{} {} failed", call.method(), call.path(), cause);
                reply = HttpReply.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal server error: " + cause);
            }
            long nanos = System.nanoTime() - started;
            if (LOG.isDebugEnabled()) {
                LOG.debug("{} {} -> {} ({} bytes) in {} ms", call.method(), call.path(), reply.status().code(),
                        reply.body().length, nanos / 1_000_000);
            }
            try {
                observer.answered(call.method().name(), route, reply.status().code(), nanos);
            } catch (RuntimeException e) {
                LOG.warn("Recording the request's metrics failed", e);
            }
            deliver(ctx, reply, version, keepAlive);
            return null;
        });
    }

    private void deliver(ChannelHandlerContext ctx, HttpReply reply, HttpVersion version, boolean keepAlive) {
        if (!reply.delay().isZero()) {
            // held back on the connection's event loop, not on a request thread
            closing = true;
            try {
                ctx.executor().schedule(() -> write(ctx, reply, version, false), reply.delay().toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (RejectedExecutionException e) {
                keepAlive = false; // the event loop is stopping: answer now
            }
        }
        write(ctx, reply, version, keepAlive && !draining.getAsBoolean());
    }

    /** Writes a reply; the request counts as finished once the write completes or fails. */
    private void write(ChannelHandlerContext ctx, HttpReply reply, HttpVersion version, boolean keepAlive) {
        ChannelFuture written;
        try {
            FullHttpResponse response = new DefaultFullHttpResponse(version, reply.status(),
                    Unpooled.wrappedBuffer(reply.body()));
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, reply.contentType())
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, reply.body().length);
            reply.headers().forEach(response.headers()::set);
            if (!keepAlive) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            } else if (!version.isKeepAliveDefault()) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
            written = ctx.writeAndFlush(response);
        } catch (RuntimeException e) {
            inFlight.end();
            LOG.error("Cannot write the reply; closing the connection", e);
            ctx.close();
            return;
        }
        written.addListener(done -> {
            inFlight.end();
            if (!done.isSuccess()) {
                LOG.debug("Reply not delivered: {}", done.cause().toString());
            }
        });
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            // Clients going away (connection reset) are routine.
            LOG.debug("Connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            LOG.warn("Connection {} failed; closing it", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}
