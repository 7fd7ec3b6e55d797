package io.weir.server.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * First handler of a connection to a TLS port: a connection that starts with a TLS record gets an
 * {@link SslHandler} from the current context (so a reloaded certificate applies to each new
 * connection); one that starts with anything else (a client speaking plain HTTP) gets a plain-text
 * {@code 400} saying to use HTTPS, as nginx answers, and is closed. Plain HTTP is never served.
 */
public final class HttpsOnlyHandler extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(HttpsOnlyHandler.class);
    /** A TLS record header is 5 bytes: content type, version (2), length (2). */
    private static final int RECORD_HEADER = 5;
    /** How long a refused plain-HTTP client may take to read the answer before its connection is closed. */
    private static final long LINGER_MILLIS = 2_000;
    private static final byte[] PLAIN_HTTP_REFUSED = refusal();

    private final Supplier<SslContext> context;
    private boolean refusing;

    /** @param context the context for this connection, asked for once the first bytes show TLS */
    public HttpsOnlyHandler(Supplier<SslContext> context) {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (refusing) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < RECORD_HEADER) {
            return;
        }
        if (SslHandler.isEncrypted(in, false)) {
            SslHandler tls = context.get().newHandler(ctx.alloc());
            // The bytes read so far go on to the SslHandler when this handler leaves the pipeline.
            ctx.pipeline().replace(this, "tls", tls);
            ctx.pipeline().addAfter("tls", "tls-failures", new TlsFailureHandler());
            return;
        }
        refuse(ctx, in);
    }

    /**
     * Answers 400 and half-closes; what the client still sends is read and dropped, so that closing
     * does not reset the connection before the client has read the answer.
     */
    private void refuse(ChannelHandlerContext ctx, ByteBuf in) {
        refusing = true;
        LOG.debug("Plain HTTP from {} on the TLS port refused", ctx.channel().remoteAddress());
        in.skipBytes(in.readableBytes());
        ctx.writeAndFlush(Unpooled.wrappedBuffer(PLAIN_HTTP_REFUSED)).addListener((ChannelFutureListener) written -> {
            if (written.isSuccess() && ctx.channel() instanceof DuplexChannel duplex) {
                duplex.shutdownOutput();
            } else {
                ctx.close();
            }
        });
        ctx.executor().schedule(() -> ctx.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
    }

    private static byte[] refusal() {
        String body = "This port serves HTTPS only: connect with https:// (Weir's JDBC driver: add ssl=true to the URL).\n";
        return ("HTTP/1.1 400 Bad Request\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n"
                + "Connection: close\r\n"
                + "\r\n"
                + body).getBytes(StandardCharsets.UTF_8);
    }
}
