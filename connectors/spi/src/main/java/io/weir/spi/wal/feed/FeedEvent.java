package io.weir.spi.wal.feed;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static java.util.Objects.requireNonNull;

/**
 * What a live source's receiving threads hand on, in order: a connection opened, a record, a record
 * too long to decode, a connection closed. Kept as is in the write-ahead log (one event per log
 * record, {@link #encode()}), so that a reader of the log can apply per-connection decoder state (a
 * CSV header) and the {@code 'on-error'} handling of oversized records as a reader of the socket did.
 *
 * @param kind       what happened
 * @param connection which connection: on the receiving side a number of the receiver's own; in the
 *                   log the offset of the connection's {@link Kind#OPENED} event (unique across restarts)
 * @param text       the connection's name (OPENED), the record (RECORD) or its start (OVERSIZED); empty for CLOSED
 * @param source     where the record came from, for error messages; empty unless RECORD or OVERSIZED
 * @param problem    why an OVERSIZED record is not decoded; empty otherwise
 */
public record FeedEvent(Kind kind, long connection, String text, String source, String problem) {
    /** The kinds, with the byte that stands for each in the log (never renumber). */
    public enum Kind {
        OPENED(1), RECORD(2), OVERSIZED(3), CLOSED(4);

        private final byte code;

        Kind(int code) {
            this.code = (byte) code;
        }

        static Kind of(byte code) {
            for (Kind kind : values()) {
                if (kind.code == code) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown event kind " + code);
        }
    }

    public FeedEvent {
        requireNonNull(kind, "kind is null");
        requireNonNull(text, "text is null");
        requireNonNull(source, "source is null");
        requireNonNull(problem, "problem is null");
    }

    public static FeedEvent opened(long connection, String name) {
        return new FeedEvent(Kind.OPENED, connection, name, "", "");
    }

    public static FeedEvent record(long connection, String text, String source) {
        return new FeedEvent(Kind.RECORD, connection, text, source, "");
    }

    public static FeedEvent oversized(long connection, String start, String source, String problem) {
        return new FeedEvent(Kind.OVERSIZED, connection, start, source, problem);
    }

    public static FeedEvent closed(long connection) {
        return new FeedEvent(Kind.CLOSED, connection, "", "", "");
    }

    /** The same event of another connection (its number in the log). */
    public FeedEvent withConnection(long newConnection) {
        return new FeedEvent(kind, newConnection, text, source, problem);
    }

    /** One byte of kind, eight of connection, then text, source and problem, each an int length and UTF-8 bytes. */
    public byte[] encode() {
        byte[] textBytes = text.getBytes(StandardCharsets.UTF_8);
        byte[] sourceBytes = source.getBytes(StandardCharsets.UTF_8);
        byte[] problemBytes = problem.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(1 + 8 + 12 + textBytes.length + sourceBytes.length + problemBytes.length);
        buffer.put(kind.code).putLong(connection);
        buffer.putInt(textBytes.length).put(textBytes);
        buffer.putInt(sourceBytes.length).put(sourceBytes);
        buffer.putInt(problemBytes.length).put(problemBytes);
        return buffer.array();
    }

    /**
     * The event {@link #encode()} wrote.
     *
     * @param where the log and offset, for the message when the bytes are no event
     * @throws WeirException ({@link ErrorCode#SOURCE_ERROR}) when they are not
     */
    public static FeedEvent decode(byte[] bytes, String where) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            Kind kind = Kind.of(buffer.get());
            long connection = buffer.getLong();
            FeedEvent event = new FeedEvent(kind, connection, string(buffer), string(buffer), string(buffer));
            if (buffer.hasRemaining()) {
                throw new IllegalArgumentException(buffer.remaining() + " bytes after the event");
            }
            return event;
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new WeirException(ErrorCode.SOURCE_ERROR, where + " holds no event of this server version ("
                    + (e.getMessage() == null ? "it is cut short" : e.getMessage()) + "); was the log written by another "
                    + "connector? Drop and re-create the stream to start a new log", e);
        }
    }

    private static String string(ByteBuffer buffer) {
        int length = buffer.getInt();
        if (length < 0 || length > buffer.remaining()) {
            throw new IllegalArgumentException("a text length of " + length + " bytes");
        }
        String text = new String(buffer.array(), buffer.position(), length, StandardCharsets.UTF_8);
        buffer.position(buffer.position() + length);
        return text;
    }
}
