package io.weir.server.pg;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;

import java.util.List;

/**
 * Cuts the byte stream of a PostgreSQL connection into messages: first the startup packets (a length and
 * a code, without a type byte: StartupMessage, SSLRequest, GSSENCRequest, CancelRequest), then typed
 * messages (a type byte and a length that counts itself). A length out of bounds is a protocol violation:
 * the connection is answered with a FATAL error and closed ({@link PgConnection}).
 */
final class PgFrameDecoder extends ByteToMessageDecoder {
    /** What a startup packet may be at most (PostgreSQL allows 10000 bytes). */
    static final int MAX_STARTUP_BYTES = 10_000;

    private final int maxMessageBytes;
    private boolean startup = true;

    PgFrameDecoder(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    /** A message: its type ({@code 0} for a startup packet) and its body, after the length. */
    record Frame(char type, ByteBuf body) {
    }

    /** The startup phase is over (after the StartupMessage): typed messages follow. */
    void startupDone() {
        startup = false;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (startup) {
            if (in.readableBytes() < 4) {
                return;
            }
            int length = in.getInt(in.readerIndex());
            if (length < 8 || length > MAX_STARTUP_BYTES) {
                in.skipBytes(in.readableBytes());
                throw new WeirException(ErrorCode.PROTOCOL_VIOLATION, "invalid length of startup packet: " + length);
            }
            if (in.readableBytes() < length) {
                return;
            }
            in.skipBytes(4);
            ByteBuf body = in.readRetainedSlice(length - 4);
            // a StartupMessage (not SSLRequest/GSSENCRequest) ends the startup phase: stop before the next bytes
            int code = body.getInt(body.readerIndex());
            if (code >> 16 == 3) {
                startup = false;
            }
            out.add(new Frame((char) 0, body));
            return;
        }
        if (in.readableBytes() < 5) {
            return;
        }
        char type = (char) (in.getByte(in.readerIndex()) & 0xFF);
        int length = in.getInt(in.readerIndex() + 1);
        if (length < 4 || length - 4 > maxMessageBytes) {
            in.skipBytes(in.readableBytes());
            throw new WeirException(length < 4 ? ErrorCode.PROTOCOL_VIOLATION : ErrorCode.PROGRAM_LIMIT_EXCEEDED,
                    length < 4 ? "invalid message length " + length + " of message type '" + printable(type) + "'"
                            : "message of type '" + printable(type) + "' is " + (length - 4) + " bytes long; the server accepts "
                            + maxMessageBytes + " bytes at most (server.max-request-bytes)");
        }
        if (in.readableBytes() < length + 1) {
            return;
        }
        in.skipBytes(5);
        out.add(new Frame(type, in.readRetainedSlice(length - 4)));
    }

    static String printable(char type) {
        return type >= 0x20 && type < 0x7f ? String.valueOf(type) : String.format("\\x%02x", (int) type);
    }
}
